using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// Why a step ended undecided when its subjects, not its requests, bound an interval: the part of a metric's safe-side
/// variance that is the spread between subject groups (the cluster-robust variance beyond the per-request one) does not
/// shrink as the same subjects send more requests, and when it alone keeps the interval across the tolerance, holding
/// longer will not decide the metric. The reason of a hold, a deadline or an inconclusive rollback then says so and what
/// to change (trial netfalse M1: an honest A/A canary whose users' error rates differed, held four times at
/// ±0.021–0.029 against max_increase 0.02 and rolled back by its deadline, with no word on why). Words only: no verdict changes.
/// </summary>
public sealed partial class Judge
{
    /// <summary>
    /// The share of an arm's spread one subject group must hold for a stalled metric to be put down to one caller rather
    /// than to subjects who differ (trial mirror: 96% for one pinned stable subject; honest users who differ leave a
    /// dominant group far below it).
    /// </summary>
    public const double OneCallerShare = 0.9;

    /// <summary>The share of a metric's safe-side variance the spread between subjects must hold to be named as the bound.</summary>
    public const double StalledShare = 0.5;

    /// <summary>The sum of squares of a mean metric's observations (latency and first-token on the log scale, online scores, cost).</summary>
    internal static double Squares(MetricRule rule, in ArmSample a) => rule.Kind switch
    {
        MetricKind.LogMean when rule.Name == FirstTokenLatency => a.LogFirstTokenSquares,
        MetricKind.LogMean => a.LogLatencySquares,
        MetricKind.Mean => a.OnlineScoreSquares,
        MetricKind.RatioOfMeans => a.CostSquares,
        _ => Unit(rule, a, -1).Y, // a 0/1 observation is its own square
    };

    /// <summary>
    /// One sentence per unclear metric whose estimate lies inside its tolerance but whose interval the spread between
    /// subjects alone keeps across it, joined; null when there is none. <paramref name="canary"/> and
    /// <paramref name="stable"/> are the capped samples the assessments were made on, <paramref name="canaryUncapped"/> and
    /// <paramref name="stableUncapped"/> the same arms before the cap of heavy subjects. A metric whose estimate before that
    /// cap (per request) lies beyond its tolerance gets <see cref="HeavierHarmed"/> instead, stalled or not. With
    /// <paramref name="rolledBack"/> (on_inconclusive: rollback, or a hold run out) the sentences keep their cause and drop
    /// the advice to decide by hand, moot once the rollout has ended (outside trial cancels, M3: the stored reason of a
    /// rollback still said "decide by hand (glidepath rollout promote advances it…)").
    /// </summary>
    private string? Stalled(IReadOnlyList<MetricAssessment> all, in ArmSample canary, in ArmSample stable, in ArmSample canaryUncapped, in ArmSample stableUncapped, bool rolledBack = false)
    {
        var said = new List<string>();
        foreach (var a in all)
        {
            var rule = a.Rule;
            var inside = rule.HarmIsIncrease ? a.Estimate < rule.Threshold : a.Estimate > rule.Threshold;
            if (a.Verdict != MetricVerdict.Unclear || !inside)
            {
                continue;
            }

            if (HeavierHarmed(rule, canaryUncapped, stableUncapped, rolledBack) is { } heavy)
            {
                said.Add(heavy);
                continue;
            }

            var tail = rule.Kind == MetricKind.TailShare ? TailBucket(stable.LatencyHistogram, rule.Quantile) : -1;
            var floor = SpreadVariance(rule, canary, stable, tail);
            var (_, _, safe, _, df) = Estimates(rule, canary, stable, tail);
            if (!(floor >= StalledShare * safe))
            {
                continue;
            }

            var share = rule.Kind == MetricKind.Proportion ? 1 - RangeShare : 1;
            var radius = ConfidenceSequence.Radius(floor, a.CanaryN, Policy.AlphaPerMetric * share, Policy.Rho, Df(df));
            var reach = rule.HarmIsIncrease ? a.Estimate + radius : a.Estimate - radius;
            if (rule.HarmIsIncrease ? reach < rule.Threshold : reach > rule.Threshold)
            {
                continue;
            }

            // One subject group holding most of an arm's spread is one caller, most likely (a failing, slow or dear client
            // pinned to an arm): a wider tolerance is not the remedy, finding it is (trial mirror M3).
            if (Dominant(rule, canary, stable, tail) is { } dominant)
            {
                said.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{rule.Name} has stopped narrowing: one subject group holds {MetricEvidence.ShareText(dominant.Share)} of {dominant.Arm} spread (one caller, most likely: {CallerKind(rule.Name)} on that arm alone), and the safe side keeps it, so waiting will not decide it and a wider tolerance is not the fix — find that caller ({FindCaller(rule.Name)}){(rolledBack ? "" : DecideByHand)}"));
                continue;
            }

            var needed = rule.HarmIsIncrease ? Math.Max(a.Estimate, 0) + radius : radius - Math.Min(a.Estimate, 0);
            said.Add(string.Create(CultureInfo.InvariantCulture,
                $"{rule.Name} has stopped narrowing: its subjects' {SubjectSpread.Differ(rule.Name)} differ beyond chance, so the subjects, not the requests, bound the interval (about {SubjectSpread.WidthText(rule, radius)} however many more requests they send) and waiting will not decide it — {SubjectSpread.WidenText(rule, needed).Replace(" to about ", " beyond about ", StringComparison.Ordinal)} at the least (where this interval stops: a tolerance that close is met only slowly, so expect another hold; glidepath rollout plan names the larger one a step meets within max_duration){(rolledBack ? "" : OrDecideByHand)}"));
        }

        return said.Count == 0 ? null : string.Join("; ", said);
    }

    /// <summary>
    /// The words for a metric whose judged estimate lies inside its tolerance while its estimate before the cap of heavy
    /// subjects (per request) lies beyond it on the harmful side, or null: the heaviest subjects fare worse on the canary,
    /// and the cap counts them as few. A wider tolerance or a promotion is then not the advice (trial netfalse2 M1: a canary
    /// failing 10% of the ten heaviest users' attempts read retry_rate +0.0068 judged, +0.0426 per request against
    /// max_increase 0.03, and the hold advised widening the tolerance beyond 0.035 or promoting).
    /// </summary>
    private static string? HeavierHarmed(MetricRule rule, in ArmSample canary, in ArmSample stable, bool rolledBack)
    {
        var before = PointEstimate(rule, canary, stable);
        if (!(rule.HarmIsIncrease ? before > rule.Threshold : before < rule.Threshold))
        {
            return null;
        }

        var shown = Shown(rule, before)!.Value;
        var text = rule.IsRatio
            ? string.Create(CultureInfo.InvariantCulture, $"×{shown:0.000}")
            : string.Create(CultureInfo.InvariantCulture, $"{shown:+0.0000;-0.0000}");
        return $"{rule.Name} per request is beyond {rule.ToleranceText} on the canary ({text} before the cap of heavy subjects): "
            + "its heaviest subjects fare worse on it, and the cap (each subject group weighs at most three median groups) counts them as few, "
            + "so the judged estimate lies inside — a harm to those callers, or callers who fare as badly on any release (sticky subjects put different ones on each arm); "
            + "either way neither a wider tolerance nor a promotion is the remedy: look at the heaviest callers' traces "
            + "(glidepath traces list --release <the canary's release>)" + (rolledBack ? "" : RollBackByHand);
    }

    /// <summary>
    /// The larger share of an arm's spread its dominant harmful subject group holds (<see cref="DominantHarmfulGroup"/>),
    /// and whose ("stable's"), or null when neither arm has one: looked at on both arms for the words, whether or not the
    /// harm side left it out.
    /// </summary>
    private static (double Share, string Arm)? Dominant(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail)
    {
        var (c, s) = (DominantHarmfulGroup(rule, canary, tail).Share, DominantHarmfulGroup(rule, stable, tail).Share);
        return s >= c && s >= OneCallerShare ? (s, "stable's") : c >= OneCallerShare ? (c, "the canary's") : null;
    }

    /// <summary>
    /// The part of the safe-side variance that is spread between subject groups: each arm's cluster-robust variance beyond
    /// its per-request one, the canary's at the tolerance's boundary as the safe side takes it (times its design effect).
    /// </summary>
    private static double SpreadVariance(MetricRule rule, in ArmSample c, in ArmSample s, int tail)
    {
        if (rule.Kind is MetricKind.Proportion or MetricKind.TailShare)
        {
            var (_, nc, _, vc, dc, _) = ArmProportion(rule, c, tail);
            var (_, _, ps, vs, ds, _) = ArmProportion(rule, s, tail);
            var (iidC, iidS) = (vc / dc, vs / ds);
            return (VarianceAt(ps + rule.Threshold, nc, 1) / iidC * Between(rule, c, tail, iidC)) + Between(rule, s, tail, iidS);
        }

        var relative = rule.Kind == MetricKind.RatioOfMeans;
        return MeanBetween(rule, c, relative) + MeanBetween(rule, s, relative);
    }

    private static double MeanBetween(MetricRule rule, in ArmSample a, bool relative)
    {
        var (y, n) = Unit(rule, a, -1);
        if (n < 2)
        {
            return 0;
        }

        var mean = y / n;
        var iid = Math.Max(Squares(rule, a) - (y * mean), 0) / (n - 1) / n;
        var between = Between(rule, a, -1, iid);
        return relative ? mean > 0 ? between / (mean * mean) : 0 : between;
    }

    private static double Between(MetricRule rule, in ArmSample a, int tail, double iid)
    {
        var cluster = ClusterVariance(rule, a, tail);
        return double.IsNaN(cluster) ? 0 : Math.Max(cluster - iid, 0);
    }

    /// <summary>
    /// The share of <paramref name="day"/>'s spread of <paramref name="rule"/>'s metric (its squared residuals, after the cap
    /// of heavy subjects) that its most harmful subject group holds when that is at least <see cref="OneCallerShare"/>: one
    /// caller, most likely, as a hold would name it; 0 otherwise. For the plan's warning about a metric the subjects keep
    /// undecided: widening the tolerance past such a caller's spread would let a real harm of that size through (trial
    /// cancels M4: "widen max_increase to about 0.32" after one caller cancelled every request on stable, where a 0.34 rise
    /// of real harm had been caught).
    /// </summary>
    internal static double OneCallerShareOf(MetricRule rule, in ArmSample day)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var capped = day.CapSubjects();
        var tail = rule.Kind == MetricKind.TailShare ? TailBucket(capped.LatencyHistogram, rule.Quantile) : -1;
        return rule.Kind == MetricKind.TailShare && tail < 0 ? 0 : DominantHarmfulGroup(rule, capped, tail, OneCallerShare).Share;
    }

    /// <summary>The kind of caller that holds most of an arm's spread of the metric: one that cancels is not one that fails (trial cancels M2).</summary>
    internal static string CallerKind(string metric) => metric switch
    {
        "cancel_rate" => "a client that closes its requests before the answer",
        "error_rate" or "retry_rate" => "a client whose requests fail",
        _ => "a client whose requests are slow or dear, or fail",
    };

    /// <summary>Where to look for that caller: a cancelled request is a 499 (client_closed), which --cancelled lists and --failed does not.</summary>
    internal static string FindCaller(string metric, string release = "<its release>") => metric == "cancel_rate"
        ? $"glidepath traces list --release {release} --cancelled, or --key <its key>"
        : $"glidepath traces list --release {release} --failed, or --key <its key>";

    private const string DecideByHand = " and decide by hand (glidepath rollout promote advances it, glidepath rollback ends it)";
    private const string OrDecideByHand = ", or decide by hand (glidepath rollout promote advances it, glidepath rollback ends it)";
    private const string RollBackByHand = " and decide by hand (glidepath rollback ends it)";
}
