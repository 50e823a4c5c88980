using Glidepath.Releases;

namespace Glidepath.Cli.Drills;

/// <summary>What a rollback drill exercises: which environment, through which gateway, with which candidate.</summary>
internal sealed record DrillOptions
{
    public required string Environment { get; init; }
    public required Uri Gateway { get; init; }
    public required Release Stable { get; init; }
    public required Release Candidate { get; init; }

    /// <summary>The rollback must be served by every probe within this time (default 2 s).</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the gateway to start serving the candidate before giving up (exit 3).</summary>
    public TimeSpan CandidateTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Probes in flight at once; each carries its own subject so they cover the split.</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>Full requests (through the provider, traced) sent once the candidate is served and again after the rollback.</summary>
    public int TracedProbes { get; init; } = 3;

    /// <summary>Consecutive probes on the expected release that count as "served".</summary>
    public int ConfirmProbes { get; init; } = 5;
}
