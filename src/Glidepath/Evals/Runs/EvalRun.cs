namespace Glidepath.Evals.Runs;

/// <summary>
/// A stored eval run: which release(s) over which dataset (by sha256), with which scorers, how many trials.
/// A gate run holds the candidate in <see cref="ReleaseId"/> and the baseline in <see cref="BaselineReleaseId"/>.
/// New runs are made in one place, <see cref="EvalService"/>; stores only read them back.
/// </summary>
public sealed record EvalRun
{
    public required string Id { get; init; }
    public required string App { get; init; }
    public required EvalRunKind Kind { get; init; }
    public required string ReleaseId { get; init; }
    public string? BaselineReleaseId { get; init; }
    public required string DatasetPath { get; init; }
    public required string DatasetSha256 { get; init; }
    public required int Trials { get; init; }
    public required int CaseCount { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required string ScorerVersion { get; init; }
    public bool UseCache { get; init; } = true;
    public int Concurrency { get; init; } = 8;
    public EvalRunStatus Status { get; init; } = EvalRunStatus.Running;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>
    /// What the run's judge calls cost so far, per release and judge, every process of it together (<see cref="Runs.JudgeSpend"/>):
    /// where a resume's <c>max_spend_usd</c> starts from and what the run's judge figures show. Null for a run stored before
    /// it was kept (2026-12-07): then it is added up from the stored results. Not in <c>eval list</c>'s JSON.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<JudgeSpend>? JudgeSpend { get; init; }

    /// <summary>Releases in work order: the baseline first in a gate run, so each case is interleaved. A release gated against itself runs once.</summary>
    public IReadOnlyList<string> ReleaseIds => BaselineReleaseId is null || BaselineReleaseId == ReleaseId ? [ReleaseId] : [BaselineReleaseId, ReleaseId];

    public int TotalTrials => CaseCount * Trials * ReleaseIds.Count;
}
