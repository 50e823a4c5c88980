namespace Glidepath.Access;

/// <summary>
/// A person's or a pipeline's token to the admin API, as the store keeps it: never the token, only its keyed hash
/// (<see cref="AccessTokenSecret.Hash"/>), with the role it grants in one environment (or <c>*</c>).
/// </summary>
public sealed record AccessToken
{
    /// <summary>A short random id (<c>tok_</c> + 16 hex digits): what lists show and <c>tokens revoke</c> takes.</summary>
    public required string Id { get; init; }
    public required string App { get; init; }

    /// <summary>The environment the role applies to, or <see cref="Grant.AnyEnvironment"/>.</summary>
    public required string Environment { get; init; }

    /// <summary>Who holds it (<c>alice</c>); unique in any case among an app's tokens that are not revoked; recorded as the actor.</summary>
    public required string Name { get; init; }
    public required Role Role { get; init; }

    /// <summary>64 hex digits: HMAC-SHA256 of the token with the store's secret.</summary>
    public required string TokenHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    /// <summary>When it stopped working; null while it works.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Who revoked it (an actor, as history records one); null while it works, and for a token revoked before migration 0024.</summary>
    public string? RevokedBy { get; init; }

    /// <summary>Why it was revoked, as given; null when no reason was.</summary>
    public string? RevokeReason { get; init; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>What the token grants.</summary>
    public Grant Grant => new(Environment, Role);
}
