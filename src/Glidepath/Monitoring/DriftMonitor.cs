using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>
/// Compares a release's recent window with its own time-matched reference (<see cref="DriftWindows"/>), metric by metric, with the rollout
/// judge's always-valid intervals (recent in the canary's seat, reference in the stable's). A metric whose
/// interval lies wholly beyond its tolerance has drifted. Pure.
/// </summary>
public sealed class DriftMonitor(DriftPolicy policy)
{
    private readonly Judge _judge = new((policy ?? throw new ArgumentNullException(nameof(policy))).Judge);

    public DriftPolicy Policy { get; } = policy;

    /// <summary>Every metric's assessment; <see cref="MetricVerdict.Harm"/> means drift.</summary>
    public IReadOnlyList<MetricAssessment> Assess(in ArmSample recent, in ArmSample reference)
    {
        var rules = Policy.Judge.Rules;
        var result = new MetricAssessment[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            result[i] = _judge.Assess(rules[i], recent, reference);
        }

        return result;
    }

    /// <summary>
    /// Each metric's evidence as a check shows it: with the reason in words when it was not judged
    /// (<see cref="Judge.Shortfall"/>, the rollout judge's own tests), so not_enough_data never comes without one.
    /// </summary>
    public IReadOnlyList<MetricEvidence> Evidence(in ArmSample recent, in ArmSample reference)
    {
        var rules = Policy.Judge.Rules;
        var result = new List<MetricEvidence>(rules.Count + 1);
        for (var i = 0; i < rules.Count; i++)
        {
            var assessment = _judge.Assess(rules[i], recent, reference);
            var evidence = assessment.ToEvidence(Policy.Judge.AlphaPerMetric);
            result.Add(assessment.Verdict == MetricVerdict.NotEnoughData
                ? evidence with { Reason = _judge.Shortfall(rules[i], recent, reference, RecentName, "reference") }
                : evidence);
        }

        return result;
    }

    /// <summary>"recent 1h window": the canary's seat, named with its length.</summary>
    private string RecentName => "recent " + WindowText(Policy.RecentWindow) + " window";

    internal static string WindowText(TimeSpan w) =>
        w.Ticks % TimeSpan.TicksPerDay == 0 ? FormattableString.Invariant($"{w.TotalDays:0}d")
        : w.TotalHours >= 1 && w.Ticks % TimeSpan.TicksPerHour == 0
            ? FormattableString.Invariant($"{w.TotalHours:0}h")
            : FormattableString.Invariant($"{w.TotalMinutes:0}m");

    /// <summary>True when any metric has drifted: the cheap form for looking after every request.</summary>
    public bool HasDrifted(in ArmSample recent, in ArmSample reference)
    {
        foreach (var rule in Policy.Judge.Rules)
        {
            if (_judge.Assess(rule, recent, reference).Verdict == MetricVerdict.Harm)
            {
                return true;
            }
        }

        return false;
    }
}
