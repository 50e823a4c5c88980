namespace Glidepath.Keys;

/// <summary>
/// A caller's key to one environment's gateway, as the store keeps it: never the key itself, only its keyed hash
/// (<see cref="ApiKeySecret.Hash"/>), with the caller's limits.
/// </summary>
public sealed record ApiKey
{
    /// <summary>A short random id (<c>key_</c> + 16 hex digits): what lists, traces and <c>keys revoke</c> show.</summary>
    public required string Id { get; init; }
    public required string App { get; init; }
    public required string Environment { get; init; }

    /// <summary>Who uses it (<c>checkout-service</c>); unique among an app's keys that are not revoked.</summary>
    public required string Name { get; init; }

    /// <summary>64 hex digits: HMAC-SHA256 of the key with the store's secret.</summary>
    public required string KeyHash { get; init; }

    /// <summary>Requests per minute allowed; null for no limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>US dollars of model cost allowed per UTC day; null for no limit.</summary>
    public double? BudgetUsdPerDay { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    /// <summary>When it stopped working; null while it works.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Who revoked it (an actor, as history records one); null while it works, and for a key revoked before migration 0024.</summary>
    public string? RevokedBy { get; init; }

    /// <summary>Why it was revoked, as given; null when no reason was.</summary>
    public string? RevokeReason { get; init; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Whether a gateway serving <paramref name="environment"/> accepts this key: of that environment and not revoked.</summary>
    public bool WorksIn(string environment) => Environment == environment && !IsRevoked;
}
