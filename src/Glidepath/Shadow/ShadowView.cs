using Glidepath.Environments;
using Glidepath.Rollouts;

namespace Glidepath.Shadow;

/// <summary>A shadow as <c>shadow status --format json</c>, the admin API and the dashboard show it (inside <see cref="ShadowStatus"/>).</summary>
public sealed record ShadowView(
    string ShadowId,
    string Environment,
    ReleaseRefView? Candidate,
    ReleaseRefView? Stable,
    bool CandidateIsStable,
    IReadOnlyList<ShadowView.OtherStablePairs> PairsAgainstOtherStables,
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
    long? PairsAtStop,
    double CostUsd,
    long CandidateErrors,
    long JudgedPairs,
    long JudgedCandidateErrors,
    string Outcome,
    string Decision,
    double EffectiveSubjects,
    IReadOnlyList<MetricEvidence> Metrics,
    ShadowClaimsView? Claimed,
    ShadowGatewayCounts NotMirroredCountedOnGateways)
{
    public static ShadowView From(ShadowReport report, EnvironmentViews names)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(names);
        return new ShadowView(
            report.Shadow.ShadowId, report.Environment, names.Ref(report.Shadow.ReleaseId), names.Ref(report.StableReleaseId),
            report.CandidateIsStable, [.. report.PairsAgainstOtherStables.Select(o => new OtherStablePairs(names.Ref(o.StableReleaseId), o.Pairs, o.CandidateErrors))],
            report.Shadow.Rate, report.Shadow.MaxCostUsd, report.Shadow.MaxRequests, report.Active, report.CapReached,
            report.StartedAt, report.StartedBy, report.StartReason, report.StoppedAt, report.StopReason,
            report.Spend.Pairs, report.PairsAtStop, Math.Round(report.Spend.CostUsd, 6), report.CandidateErrors,
            report.JudgedPairs, report.JudgedCandidateErrors, report.Decision.OutcomeName, report.Decision.Reason, report.Decision.EffectiveSubjects, report.Decision.Evidence,
            ShadowClaimsView.From(report), ShadowGatewayCounts.Default);
    }

    /// <summary>Pairs answered by a stable release other than <see cref="Stable"/>, and the candidate's errors among them: counted against the caps and in <see cref="CandidateErrors"/>, not judged.</summary>
    public sealed record OtherStablePairs(ReleaseRefView? Stable, long Pairs, long CandidateErrors);
}
