namespace Glidepath.Cli.Drills;

/// <summary>The measured outcome of a rollback drill, as recorded in the environment's history.</summary>
internal sealed record DrillResult
{
    public required bool Passed { get; init; }
    public required string CandidateReleaseId { get; init; }
    public required string StableReleaseId { get; init; }
    public required double LimitMs { get; init; }

    /// <summary>From the candidate's write to the first of the probes that all got it.</summary>
    public required double CandidateServedMs { get; init; }

    /// <summary>From the rollback's write until every probe got the previous release; null if that never happened in time.</summary>
    public double? RollbackServedMs { get; init; }

    public required int Probes { get; init; }
    public required int ProbeErrors { get; init; }
    public required int TracesChecked { get; init; }
    public required int TracesMismatched { get; init; }
    public required int TracesMissing { get; init; }

    /// <summary>Why the drill failed, or null when it passed.</summary>
    public string? Failure { get; init; }
}
