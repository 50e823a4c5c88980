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
