using System.Globalization;
using Glidepath.Evals;

namespace Glidepath.Rollouts;

/// <summary>
/// What the judge saw for one metric when it decided, on the metric's natural scale: a ratio canary/stable
/// for latency and cost per call, a difference canary − stable otherwise.
/// </summary>
public sealed record MetricEvidence
{
    public required string Metric { get; init; }

    /// <summary>"ratio" or "difference"; "count" for the monitor's <c>no_traffic</c> (active subject groups in the recent window, and the fewest and most of an earlier window).</summary>
    public required string Scale { get; init; }

    /// <summary>
    /// Each arm's observations of the metric that were judged: after the cap of heavy subjects (no subject group
    /// weighs more than three median groups, <see cref="ArmSample.CapSubjects"/>), so fewer than the step's requests
    /// when a few subjects send most of them.
    /// </summary>
    public required long CanaryN { get; init; }
    public required long StableN { get; init; }

    /// <summary>
    /// The same observations before the cap of heavy subjects; null where no cap applies (the shadow's paired judge)
    /// or in evidence stored before it was kept.
    /// </summary>
    public long? CanaryNBeforeCap { get; init; }
    public long? StableNBeforeCap { get; init; }

    /// <summary>Null when there was not enough data to form an interval.</summary>
    public double? Estimate { get; init; }

    /// <summary>
    /// The same estimate on every observation the arms had, before the cap of heavy subjects: the per-request rate or
    /// mean (per answered call for latency and cost). <see cref="Estimate"/> and the interval are of the capped sample,
    /// in which no subject group weighs more than three median groups; the two differ when the canary's effect is
    /// concentrated on the few heaviest subjects (or spares them), and only this one shows it. Not judged. Null without
    /// an interval, where no cap applies (the shadow's paired judge), and in evidence stored before 2026-12-05.
    /// </summary>
    public double? EstimateBeforeCap { get; init; }

    /// <summary>
    /// For <c>error_rate</c>: the part of stable's lead in errors a caller can cause on one arm (refusals of the request,
    /// timeouts) beyond chance, which the canary is not credited with; it is included in <see cref="Estimate"/>, the
    /// interval and <see cref="EstimateBeforeCap"/>. Null when none (and in evidence stored before 2026-12-07); left out of
    /// JSON when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? OneArmUncredited { get; init; }
    public double? Lower { get; init; }
    public double? Upper { get; init; }

    /// <summary>
    /// The estimate the harm side's bound is around when a subject group that alone held most of an arm's spread was left
    /// out of it (Judge.LeaveOneOut.cs): then that bound (<see cref="Lower"/> when harm is an increase) is of the arms without
    /// it, and may lie past <see cref="Estimate"/>. Null when none was, and in evidence stored before 2026-12-07; left out
    /// of JSON when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? HarmSideEstimate { get; init; }

    /// <summary>The share of the canary's (the recent window's) spread its group left out of the harm side held; null when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? LeftOutCanaryShare { get; init; }

    /// <summary>The share of stable's (the reference's) spread its group left out of the harm side held; null when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? LeftOutStableShare { get; init; }

    /// <summary>The tolerance on the same scale: e.g. 1.25 for max_ratio 1.25, -0.03 for max_drop 0.03.</summary>
    public required double Tolerance { get; init; }
    public required string ToleranceText { get; init; }

    /// <summary>harm, safe, unclear or not_enough_data.</summary>
    public required string Verdict { get; init; }

    /// <summary>This metric's share of the error budget (1 − confidence split across the metrics).</summary>
    public required double Alpha { get; init; }

    /// <summary>
    /// True when the verdict is unclear but the estimate itself lies beyond the tolerance on the harmful side (error_rate
    /// +0.056 against max_increase 0.01): the interval cannot decide, and a hold at the step limit is a warning. Null
    /// otherwise, and in evidence stored before it was kept.
    /// </summary>
    public bool? EstimateBeyondTolerance { get; init; }

    /// <summary>
    /// Why a metric was not judged (<c>not_enough_data</c>), in words: "82 scored requests in the recent window, at least 20
    /// needed on each side". Set by the drift monitor's check; null otherwise, and left out of JSON when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>
    /// Half the interval's width on the metric's scale: a difference (0.0555 for [−0.0080, +0.1030]), or for a ratio the
    /// factor √(upper/lower). The judge tells canary from stable only by more than this; with a fixed set of subjects it
    /// stops narrowing. Null without an interval.
    /// </summary>
    public double? HalfWidth => Lower is not { } l || Upper is not { } u
        ? null
        : Scale == "ratio"
            ? l > 0 && double.IsFinite(u) ? Math.Round(Math.Sqrt(u / l), 6) : null
            : Math.Round((u - l) / 2, 6);

    /// <summary>"±0.0555" for a difference, "×/÷1.083" for a ratio, "n/a" without an interval.</summary>
    public string HalfWidthText() => HalfWidth is not { } h
        ? "n/a"
        : Scale == "ratio"
            ? string.Create(CultureInfo.InvariantCulture, $"×/÷{h:0.000}")
            : string.Create(CultureInfo.InvariantCulture, $"±{h:0.0000}");

    /// <summary>
    /// "+0.041 [+0.021, +0.061]", "×1.38 [×1.27, ×1.50]" or "0 now vs 37–52 per earlier window (active subject groups)", or
    /// "n/a" without data; followed, when a dominant subject group was left out of the harm side, by what that side is
    /// around and why: "(lower bound around +0.0362, without one subject group holding 91% of stable's spread)".
    /// <paramref name="newSide"/> and <paramref name="baseSide"/> name the arms, possessive: the drift monitor's are
    /// "the recent window's" and "the reference's".
    /// </summary>
    public string IntervalText(string newSide = "the canary's", string baseSide = "stable's")
    {
        if (Estimate is not { } e || Lower is not { } l || Upper is not { } u)
        {
            return "n/a";
        }

        if (HarmSideEstimate is { } h && (LeftOutCanaryShare is not null || LeftOutStableShare is not null))
        {
            var parts = new List<string>(2);
            if (LeftOutCanaryShare is { } c)
            {
                parts.Add($"one subject group holding {ShareText(c)} of {newSide} spread");
            }

            if (LeftOutStableShare is { } b)
            {
                parts.Add($"one subject group holding {ShareText(b)} of {baseSide} spread");
            }

            // Named by the bound it moved, so an estimate outside the printed interval reads as explained (outside trial
            // mirror, M2: "+0.0055 [+0.0102, +0.0735] … is beyond max_increase 0.01" read as a contradiction).
            return $"{Interval(e, l, u)} ({HarmBound} around {(Scale == "ratio" ? "×" + Ratio(h) : Difference(h))}, without {string.Join(" and ", parts)})";
        }

        return Interval(e, l, u);
    }

    /// <summary>
    /// The bound on the harm side, in words: "lower bound" when harm is an increase (every ratio, max_increase), "upper
    /// bound" for a max_drop.
    /// </summary>
    private string HarmBound => ToleranceText.StartsWith("max_drop", StringComparison.Ordinal) ? "upper bound" : "lower bound";

    /// <summary>A share of an arm's spread: "98%"; "over 99%" where a whole percent would round it up to all of it.</summary>
    internal static string ShareText(double share) =>
        share >= 0.995 ? "over 99%" : string.Create(CultureInfo.InvariantCulture, $"{share:0%}");

    /// <summary><see cref="IntervalText"/> with the drift monitor's sides: the recent window against the reference.</summary>
    public string WindowIntervalText() => IntervalText("the recent window's", "the reference's");

    private string Interval(double e, double l, double u)
    {
        // Each figure is set against the tolerance: printed with as many digits as it takes to show which side of it it
        // lies on (an upper bound of 0.020004 against max_increase 0.02 read "+0.0200 … straddles it").
        return Scale switch
        {
            "ratio" => $"×{Ratio(e)} [×{Ratio(l)}, ×{Ratio(u)}]",
            // Both sides in one unit, named: an alert stored before the recent side counted groups has 0 there, the same in either unit.
            "count" when l == u => string.Create(CultureInfo.InvariantCulture, $"{e:0} now vs {l:0} per earlier window ({TrafficUnit})"),
            "count" => string.Create(CultureInfo.InvariantCulture, $"{e:0} now vs {l:0}–{u:0} per earlier window ({TrafficUnit})"),
            _ => $"{Difference(e)} [{Difference(l)}, {Difference(u)}]",
        };
    }

    /// <summary>What the <c>count</c> scale counts per window (<c>TrafficStop.ActiveSubjects</c>).</summary>
    private const string TrafficUnit = "active subject groups";

    /// <summary>A ratio against the tolerance: three decimals, or more where those would hide its side; "inf" for no upper bound.</summary>
    private string Ratio(double x) => double.IsPositiveInfinity(x) ? "inf" : ThresholdText.Value(x, Tolerance, "0.000");

    /// <summary>A difference against the tolerance, signed: <see cref="Signed"/>'s four decimals, or more where those would hide its side.</summary>
    private string Difference(double x) => ThresholdText.Value(x + 0.0, Tolerance, SignedFormat);

    /// <summary>Signed with four decimals; the third section makes a negative number that rounds to zero read "+0.0000", not "-+0.0000".</summary>
    private const string SignedFormat = "+0.0000;-0.0000;+0.0000";

    /// <summary>
    /// A difference with its sign and four decimals: "+0.0412", "-0.0080", and "+0.0000" for anything that rounds to
    /// zero (the format "+0.0000;-0.0000" alone printed a tiny negative number as "-+0.0000").
    /// </summary>
    public static string Signed(double x)
    {
        // Round first, then add 0.0 to turn −0 into +0, so a number that rounds to zero takes the positive section.
        var rounded = Math.Round(x, 4, MidpointRounding.AwayFromZero) + 0.0;
        return rounded.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The estimate cell: the judged estimate, and the estimate before the cap of heavy subjects when it shows differently
    /// ("+0.0043 (+0.0306 before cap)", "×1.010 (×1.120 before cap)"), and the harm side's when a dominant subject group
    /// was left out of it ("+0.0342 (lower bound around +0.0702 without one subject group)"): the bounds cell beside it is then not around
    /// the estimate alone.
    /// </summary>
    public string EstimateText()
    {
        string F(double x) => Scale == "ratio" ? string.Create(CultureInfo.InvariantCulture, $"×{x:0.000}") : Signed(x);
        if (Estimate is not { } e)
        {
            return "n/a";
        }

        var notes = new List<string>(2);
        if (EstimateBeforeCap is { } before && F(before) != F(e))
        {
            notes.Add($"{F(before)} before cap");
        }

        // A bound of the harm side can lie past the estimate when a dominant group was left out of it: say what it is around.
        if (HarmSideEstimate is { } h && (LeftOutCanaryShare is not null || LeftOutStableShare is not null))
        {
            var groups = LeftOutCanaryShare is not null && LeftOutStableShare is not null ? "a group of each side" : "one subject group";
            notes.Add($"{HarmBound} around {F(h)} without {groups}");
        }

        return notes.Count == 0 ? F(e) : $"{F(e)} ({string.Join("; ", notes)})";
    }

    /// <summary>
    /// The interval cell alone, "[+0.0021, +0.0610]", "[×0.930, inf]" or "n/a": the table of <c>rollout status</c> and
    /// <c>shadow status</c>, and the dashboard's, print it beside <see cref="EstimateText"/>.
    /// </summary>
    public string BoundsText()
    {
        // Against the tolerance, as the reasons are (trial steps: "[-0.0027, +0.0100] vs max_increase 0.01 safe" for an
        // upper bound of 0.00997).
        string F(double? v) => v is not { } x ? "n/a" : Scale == "ratio" ? "×" + Ratio(x) : Difference(x);
        return Lower is null ? "n/a" : $"[{F(Lower)}, {(Upper is { } u && double.IsPositiveInfinity(u) ? "inf" : F(Upper))}]";
    }

    /// <summary>
    /// The "canary n" / "stable n" cell: the judged observations, and the count before the cap of heavy subjects when it
    /// removed any ("1657 (4721 before cap)").
    /// </summary>
    public static string CountText(long n, long? beforeCap) =>
        beforeCap is { } before && before != n
            ? string.Create(CultureInfo.InvariantCulture, $"{n} ({before} before cap)")
            : n.ToString(CultureInfo.InvariantCulture);
}
