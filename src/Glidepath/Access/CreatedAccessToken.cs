namespace Glidepath.Access;

/// <summary>A token just created: what the store keeps, and the token itself, shown this once and never again.</summary>
public sealed record CreatedAccessToken(AccessToken Token, string Secret);
