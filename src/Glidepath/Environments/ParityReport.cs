namespace Glidepath.Environments;

/// <summary>What <c>glidepath env diff A B</c> found.</summary>
public sealed record ParityReport
{
    public required string A { get; init; }
    public required string B { get; init; }

    /// <summary>Differences beyond declared var values and provider endpoints.</summary>
    public required IReadOnlyList<ParityDifference> Differences { get; init; }

    /// <summary>Differences that are expected between environments: var values, base_url, api_key_env.</summary>
    public required IReadOnlyList<ParityDifference> Expected { get; init; }

    /// <summary>True/false when both have a stable release; null when either has none.</summary>
    public bool? SameRelease { get; init; }

    /// <summary>Same model provider and name in both stable releases; null when either has none.</summary>
    public bool? SameModel { get; init; }

    /// <summary>
    /// True when nothing differs except what is declared to differ (vars, endpoints) and the promotion path
    /// (requires and owner differ by design), and both serve the same release.
    /// </summary>
    public bool Parity => Differences.All(d => d.Aspect == "promotion_path") && SameRelease != false;
}
