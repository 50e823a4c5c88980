using Glidepath.Environments;
using Glidepath.Rollouts;

namespace Glidepath.Shadow;

/// <summary>A shadow as <c>shadow status --format json</c> (and a future admin API) shows it.</summary>
public sealed record ShadowView(
    string ShadowId,
    string Environment,
    ReleaseRefView? Candidate,
    ReleaseRefView? Stable,
    double Rate,
    double? MaxCostUsd,
    long? MaxRequests,
    bool Active,
    bool CapReached,
    DateTimeOffset StartedAt,
    string StartedBy,
    string? Reason,
    DateTimeOffset? StoppedAt,
    string? StopReason,
    long Pairs,
    double CostUsd,
    long CandidateErrors,
    string Outcome,
    string Decision,
    double EffectiveSubjects,
    IReadOnlyList<MetricEvidence> Metrics)
{
    public static ShadowView From(ShadowReport report, EnvironmentViews names)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(names);
        return new ShadowView(
            report.Shadow.ShadowId, report.Environment, names.Ref(report.Shadow.ReleaseId), names.Ref(report.StableReleaseId),
            report.Shadow.Rate, report.Shadow.MaxCostUsd, report.Shadow.MaxRequests, report.Active, report.CapReached,
            report.StartedAt, report.StartedBy, report.StartReason, report.StoppedAt, report.StopReason,
            report.Spend.Pairs, Math.Round(report.Spend.CostUsd, 6), report.CandidateErrors,
            report.Decision.OutcomeName, report.Decision.Reason, report.Decision.EffectiveSubjects, report.Decision.Evidence);
    }
}
