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

    /// <summary>
    /// Every metric's assessment; <see cref="MetricVerdict.Harm"/> means drift. Both windows are judged with the canary
    /// judge's cap of heavy subjects (<see cref="ArmSample.CapSubjects"/>: no subject group weighs more than three median
    /// groups), as the canary is: without it one busy caller made every metric not_enough_data and hid a real rise
    /// (trial drift3 H1, H2).
    /// </summary>
    public IReadOnlyList<MetricAssessment> Assess(in ArmSample recent, in ArmSample reference)
    {
        var (r, f) = (recent.CapSubjects(), reference.CapSubjects());
        var rules = Policy.Judge.Rules;
        var result = new MetricAssessment[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            result[i] = _judge.Assess(rules[i], r, f);
        }

        return result;
    }

    /// <summary>
    /// Each metric's evidence as a check shows it: with the reason in words when it was not judged
    /// (<see cref="Judge.Shortfall"/>, the rollout judge's own tests), so not_enough_data never comes without one.
    /// </summary>
    public IReadOnlyList<MetricEvidence> Evidence(in ArmSample recent, in ArmSample reference)
    {
        var (r, f) = (recent.CapSubjects(), reference.CapSubjects());
        var rules = Policy.Judge.Rules;
        var result = new List<MetricEvidence>(rules.Count + 1);
        for (var i = 0; i < rules.Count; i++)
        {
            var assessment = _judge.Assess(rules[i], r, f);
            var evidence = _judge.EvidenceBeforeCap(assessment, recent, reference);
            // As a canary's evidence: the part of the reference's lead in one-arm errors added to error_rate's estimate.
            var uncredited = evidence.Estimate is null ? 0 : Judge.OneArmUncredited(rules[i], r, f);
            evidence = uncredited > 0 ? evidence with { OneArmUncredited = Math.Round(uncredited, 6) } : evidence;
            result.Add(assessment.Verdict == MetricVerdict.NotEnoughData
                ? evidence with { Reason = _judge.Shortfall(rules[i], r, f, RecentName, "reference") }
                : evidence);
        }

        return result;
    }

    /// <summary>
    /// What <c>error_rate</c> did with the errors a caller's request alone can cause on one arm (refusals of the request,
    /// timeouts) when either window had some: the canary judge's clause (<see cref="Judge.OneArmClause"/>), with the recent
    /// window in the canary's seat and the reference in stable's, e.g. <c>error_rate: refusals of the request and timeouts
    /// were 0 of the reference's requests and 0.049 of the recent 1h window's; counted in full against the recent 1h window,
    /// weighed as the subjects they came from: …</c>. Null when neither had any, or error_rate is not judged or had no interval.
    /// </summary>
    public string? OneArm(in ArmSample recent, in ArmSample reference)
    {
        var (r, f) = (recent.CapSubjects(), reference.CapSubjects());
        foreach (var rule in Policy.Judge.Rules)
        {
            if (rule.Name == "error_rate" && _judge.Assess(rule, r, f).Verdict is not (MetricVerdict.NotEnoughData or MetricVerdict.NoData))
            {
                return Judge.OneArmClause(r, f, Judge.OneArmUncredited(rule, r, f), "the " + RecentName, "the reference");
            }
        }

        return null;
    }

    /// <summary>
    /// Why a metric with enough observations on both sides was not judged, when the cause is how the requests spread over
    /// subjects (Kish's count below <c>min_subjects</c>): the busiest subject group's share of each window's requests,
    /// that a longer window does not help, and the setting that decides it; null when no metric fell short that way.
    /// Outside trial drift3 M3: the only advice printed was "a longer window holds more", which cannot help here.
    /// </summary>
    /// <param name="evidence">This check's evidence (<see cref="Evidence"/>): its reasons say which metrics fell short of subjects.</param>
    /// <param name="environment">The environment checked, for the command the text names.</param>
    public string? SubjectShortfall(in ArmSample recent, in ArmSample reference, IReadOnlyList<MetricEvidence> evidence, string environment)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        // Judge.Shortfall words a shortfall of subjects so only once both sides have enough observations.
        if (!evidence.Any(e => e.Reason?.StartsWith("effective subjects", StringComparison.Ordinal) == true))
        {
            return null;
        }

        var needed = Math.Max(Policy.Judge.MinSubjects, 2);
        return FormattableString.Invariant(
            $"the busiest subject group holds {BusiestShare(recent):0%} of the {RecentName}'s requests and {BusiestShare(reference):0%} of the reference's: effective subjects count how evenly requests spread over subjects, so a longer window does not add them. rollout.step.min_subjects ({needed}) sets how many the monitor needs, as for a canary; one caller sending under one sticky subject can be the cause ('glidepath traces list --env {environment} --key NAME' shows a key's requests)");
    }

    private static double BusiestShare(in ArmSample sample)
    {
        if (sample.Groups is not { Length: > 0 } groups || sample.Requests == 0)
        {
            return 0;
        }

        return (double)groups.Max(g => g.Requests) / sample.Requests;
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
        var (r, f) = (recent.CapSubjects(), reference.CapSubjects());
        foreach (var rule in Policy.Judge.Rules)
        {
            if (_judge.Assess(rule, r, f).Verdict == MetricVerdict.Harm)
            {
                return true;
            }
        }

        return false;
    }
}
