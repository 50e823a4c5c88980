using System.Globalization;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Shadow;

/// <summary>
/// Judges a candidate on shadow pairs: per metric, an always-valid interval (<see cref="ConfidenceSequence"/>) for
/// the mean of the per-input differences candidate − stable, against the same tolerance and with the same verdict
/// words as the canary judge. Pure: the same pairs always give the same decision, at any number of looks.
/// </summary>
/// <remarks>
/// Why pairing needs fewer requests: the canary judge's variance is Var(candidate) + Var(stable) over different
/// inputs; a pair's is Var(candidate − stable) on the same input, which is smaller by twice their covariance, and
/// inputs that are hard for one release are hard for the other. Guards, as in the canary judge: (1) sticky
/// subjects — the variance is at least the cluster-robust one over subject groups, and a pass needs min_subjects
/// effective subjects; (2) rare events — on the side that declares a bounded metric safe, the variance is at least
/// that of a difference equal to the tolerance (|t|(1 − |t|): so many discordant pairs are needed to move the mean
/// by t), so a run with no discordant pair yet cannot look safely tight; (3) a zero variance is never used: half a
/// discordant pair each way is added.
/// </remarks>
public sealed class PairedJudge(PairedJudgePolicy policy)
{
    public PairedJudgePolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>One metric's interval and verdict; the evidence's candidate and stable counts are the pairs.</summary>
    public MetricAssessment Assess(MetricRule rule, PairedSample sample)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(sample);
        var total = sample.Total(rule.Name);
        if (total.N == 0 && rule.Name is "online_pass_rate" or "online_score" or "cost_per_call" or PairedSample.PairwiseMetric)
        {
            return new MetricAssessment(rule, 0, 0, double.NaN, double.NaN, double.NaN, MetricVerdict.NoData);
        }

        if (total.N < JudgePolicy.MinObservations || sample.EffectiveSubjects < Policy.MinSubjects)
        {
            return new MetricAssessment(rule, total.N, total.N, double.NaN, double.NaN, double.NaN, MetricVerdict.NotEnoughData);
        }

        var n = (double)total.N;
        var mean = total.Sum / n;
        var iid = Math.Max(total.Squares - (total.Sum * mean), 0) / (n - 1);
        var bounded = !rule.IsRatio;
        if (bounded)
        {
            iid = Math.Max(iid, 1 / (n + 1));
        }

        var harmVariance = iid / n;
        var (cluster, groups) = ClusterVariance(sample, rule.Name, mean);
        var designEffect = 1.0;
        // A variance over few subject groups is uncertain itself: its bounds are Student t ones (Judge.Cluster.cs).
        var df = double.PositiveInfinity;
        if (!double.IsNaN(cluster) && cluster > harmVariance)
        {
            designEffect = harmVariance > 0 ? cluster / harmVariance : 1;
            harmVariance = cluster;
            df = Math.Max(groups - 1, 1);
        }

        var safeVariance = harmVariance;
        if (bounded)
        {
            var t = Math.Min(Math.Abs(rule.Threshold), 1);
            safeVariance = Math.Max(harmVariance, t * (1 - t) / n * designEffect);
        }

        var harmRadius = ConfidenceSequence.Radius(harmVariance, n, Policy.AlphaPerMetric, Policy.Rho, df);
        var safeRadius = ConfidenceSequence.Radius(safeVariance, n, Policy.AlphaPerMetric, Policy.Rho, df);
        var lower = mean - (rule.HarmIsIncrease ? harmRadius : safeRadius);
        var upper = mean + (rule.HarmIsIncrease ? safeRadius : harmRadius);
        if (bounded)
        {
            lower = Math.Max(lower, -1);
            upper = Math.Min(upper, 1);
        }

        var threshold = rule.Threshold;
        var verdict = rule.HarmIsIncrease
            ? lower > threshold ? MetricVerdict.Harm : upper < threshold ? MetricVerdict.Safe : MetricVerdict.Unclear
            : upper < threshold ? MetricVerdict.Harm : lower > threshold ? MetricVerdict.Safe : MetricVerdict.Unclear;
        return new MetricAssessment(rule, total.N, total.N, mean, lower, upper, verdict);
    }

    /// <summary>The outcome alone: for looking after every pair.</summary>
    public PairedOutcome Classify(PairedSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var allSafe = true;
        foreach (var rule in Policy.Rules)
        {
            var verdict = Assess(rule, sample).Verdict;
            if (verdict == MetricVerdict.Harm)
            {
                return PairedOutcome.Harm;
            }

            allSafe &= verdict is MetricVerdict.Safe or MetricVerdict.NoData;
        }

        return allSafe && EnoughPairs(sample) ? PairedOutcome.Pass : PairedOutcome.Collecting;
    }

    /// <summary>The decision with every metric's evidence and a reason in plain words.</summary>
    public PairedDecision Decide(PairedSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var assessments = Policy.Rules.Select(r => Assess(r, sample)).ToList();
        var harmed = assessments.Where(a => a.Verdict == MetricVerdict.Harm).ToList();
        var allSafe = assessments.All(a => a.Verdict is MetricVerdict.Safe or MetricVerdict.NoData);
        var outcome = harmed.Count > 0 ? PairedOutcome.Harm : allSafe && EnoughPairs(sample) ? PairedOutcome.Pass : PairedOutcome.Collecting;
        var evidence = assessments.Select(a => a.ToEvidence(Policy.AlphaPerMetric)).ToList();
        return new PairedDecision
        {
            Outcome = outcome,
            Reason = Reason(outcome, harmed, assessments, sample),
            Pairs = sample.Pairs,
            EffectiveSubjects = Math.Round(sample.EffectiveSubjects, 1),
            Evidence = evidence,
        };
    }

    private bool EnoughPairs(PairedSample sample) =>
        sample.Pairs >= Policy.MinPairs && sample.EffectiveSubjects >= Policy.MinSubjects;

    private string Reason(PairedOutcome outcome, List<MetricAssessment> harmed, List<MetricAssessment> all, PairedSample sample)
    {
        var confidence = (1 - (Policy.AlphaPerMetric * Policy.Rules.Count)).ToString("0.##%", CultureInfo.InvariantCulture);
        if (outcome == PairedOutcome.Harm)
        {
            var names = string.Join(", ", harmed.Select(h => $"{h.Rule.Name} {h.ToEvidence(Policy.AlphaPerMetric).IntervalText()} beyond {h.Rule.ToleranceText}"));
            return $"candidate is worse than stable on the same inputs: {names} ({sample.Pairs} pairs, {confidence} confidence)";
        }

        if (outcome == PairedOutcome.Pass)
        {
            return $"every judged metric is within tolerance on {sample.Pairs} pairs from {sample.EffectiveSubjects:0.#} effective subjects ({confidence} confidence)";
        }

        if (sample.EffectiveSubjects < Policy.MinSubjects)
        {
            return $"{sample.EffectiveSubjects:0.#} effective subjects of the {Policy.MinSubjects} needed";
        }

        var open = all.Where(a => a.Verdict is MetricVerdict.Unclear or MetricVerdict.NotEnoughData).Select(a => a.Rule.Name).ToList();
        return open.Count > 0
            ? $"{string.Join(", ", open)} not yet conclusive after {sample.Pairs} pairs"
            : $"{sample.Pairs} of the {Policy.MinPairs} pairs needed";
    }

    /// <summary>
    /// CR1 variance of the mean difference over subject groups (NaN with fewer than two groups), and Kish's effective number
    /// of those groups over the metric's pairs, (Σ Nᵍ)² / Σ Nᵍ², which its degrees of freedom rest on.
    /// </summary>
    private static (double Variance, double Groups) ClusterVariance(PairedSample sample, string metric, double mean)
    {
        double ss = 0, total = 0, squares = 0;
        var k = 0;
        for (var g = 0; g < SubjectGroups.Count; g++)
        {
            var sums = sample.Group(metric, g);
            if (sums.N > 0)
            {
                var r = sums.Sum - (mean * sums.N);
                ss += r * r;
                total += sums.N;
                squares += (double)sums.N * sums.N;
                k++;
            }
        }

        return k < 2 ? (double.NaN, 0) : (k / (k - 1.0) * ss / (total * total), total * total / squares);
    }
}
