namespace Glidepath.Keys;

/// <summary>A key just created: what the store keeps, and the key itself, shown this once and never again.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
