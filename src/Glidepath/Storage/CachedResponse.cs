namespace Glidepath.Storage;

/// <summary>One cached model response.</summary>
public sealed record CachedResponse(string Key, string Provider, string Model, string ResponseJson, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
