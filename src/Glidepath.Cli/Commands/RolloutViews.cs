using System.Globalization;
using Glidepath.Rollouts;

namespace Glidepath.Cli.Commands;

/// <summary>A rollout in JSON output.</summary>
internal sealed record RolloutView(
    string Id, string Environment, ReleaseRefView Release, ReleaseRefView Baseline, string State, int Step, int Steps,
    double Weight, IReadOnlyList<double> Plan, int MinRequests, int MinSubjects, string MaxDuration, double Confidence, string OnInconclusive,
    DateTimeOffset StepStartedAt, DateTimeOffset StartedAt, string StartedBy, string? Reason, bool Forced,
    DateTimeOffset? EndedAt, string? EndReason);

/// <summary>The judge's view of the current step, recomputed from the store when status is asked for.</summary>
internal sealed record JudgeView(
    string Outcome, string Reason, long CanaryRequests, long StableRequests, int? CanarySubjects, int? StableSubjects,
    double? CanaryEffectiveSubjects, double? StableEffectiveSubjects, double StepElapsedSeconds,
    IReadOnlyList<MetricEvidence> Metrics);

/// <summary>One decision in JSON output.</summary>
internal sealed record DecisionView(
    long Sequence, string Kind, int Step, double Weight, string Actor, string Reason, long CanaryRequests, long StableRequests,
    IReadOnlyList<MetricEvidence> Evidence, DateTimeOffset Time);

internal static class RolloutViews
{
    public static RolloutView Rollout(Rollout r, EnvironmentViews names) => new(
        r.Id, r.Environment, names.Ref(r.ReleaseId)!, names.Ref(r.BaselineReleaseId)!, r.State, r.StepIndex + 1, r.Plan.Steps.Count,
        r.State == RolloutState.Promoted ? 100 : r.IsActive ? r.Weight : 0, r.Plan.Steps, r.Plan.MinRequests, r.Plan.MinSubjects, Duration(r.Plan.MaxDuration), r.Plan.Confidence,
        r.Plan.OnInconclusive, r.StepStartedAt, r.StartedAt, r.StartedBy, r.Reason, r.Forced, r.EndedAt, r.EndReason);

    public static JudgeView Judge(JudgeDecision d) => new(
        Outcome(d.Outcome), d.Reason, d.CanaryRequests, d.StableRequests, d.CanarySubjects, d.StableSubjects, d.CanaryEffectiveSubjects, d.StableEffectiveSubjects, Math.Round(d.StepElapsed.TotalSeconds, 1), d.Evidence);

    public static DecisionView Decision(RolloutDecisionRecord d) => new(
        d.Sequence, d.Kind, d.StepIndex + 1, d.Weight, d.Actor, d.Reason, d.CanaryRequests, d.StableRequests, RolloutJson.ReadEvidence(d.EvidenceJson), d.Time);

    public static string Outcome(JudgeOutcome outcome) => outcome switch
    {
        JudgeOutcome.Advance => "advance",
        JudgeOutcome.RollBack => "rollback",
        JudgeOutcome.Hold => "hold",
        _ => "continue",
    };

    /// <summary>1h2m, 3m12s, 45s.</summary>
    public static string Duration(TimeSpan t)
    {
        if (t.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes}m");
        }

        return t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)t.TotalSeconds)}s");
    }

    /// <summary>A table row per metric: estimate, interval and tolerance on the metric's own scale.</summary>
    public static IReadOnlyList<string> MetricRow(MetricEvidence e)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double? v) => v is not { } x ? "n/a" : e.Scale == "ratio" ? $"×{x.ToString("0.000", inv)}" : x.ToString("+0.0000;-0.0000", inv);
        var interval = e.Lower is null ? "n/a" : $"[{F(e.Lower)}, {(e.Upper is { } u && double.IsPositiveInfinity(u) ? "inf" : F(e.Upper))}]";
        return [e.Metric, e.CanaryN.ToString(inv), e.StableN.ToString(inv), F(e.Estimate), interval, e.ToleranceText, e.Verdict];
    }
}
