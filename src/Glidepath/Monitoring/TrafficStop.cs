using System.Globalization;
using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>
/// The <c>no_traffic</c> alert kind: the release answered no request in the recent window, while every matched window on
/// earlier days held at least m × D active subjects (<see cref="ActiveSubjects"/>). Requests come in conversations, so
/// they are not the independent unit: subjects are. With independent subjects, P(no request in a window) =
/// Π(1 − p_group) ≤ e^−E[active groups], however many requests each sends; m = ⌈ln(windows per day / α)⌉ keeps that
/// below α per day of sliding windows. A request without a subject is its own subject, so conversations sent without one
/// are clusters again; D, an upper confidence bound on the counts' variance-to-mean ratio from the matched windows
/// themselves (<see cref="Dispersion"/>), at least 1, raises the evidence needed for them. Pure.
/// </summary>
public static class TrafficStop
{
    public const string Metric = "no_traffic";

    /// <summary>
    /// What a matched window counts: its subject groups with at least one request (<see cref="ArmSample.SubjectsAtLeast"/>),
    /// or its requests where the source keeps no groups.
    /// </summary>
    public static long ActiveSubjects(in ArmSample window) => window.Groups is null ? window.Requests : window.SubjectsAtLeast;

    /// <summary>m: the fewest independent units every matched window must hold for an empty recent window to count as a stop.</summary>
    public static long MinimumPerWindow(DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var windowsPerDay = Math.Max(1, TimeSpan.FromDays(1) / policy.RecentWindow);
        return (long)Math.Ceiling(Math.Log(windowsPerDay / policy.Judge.AlphaPerMetric));
    }

    /// <summary>Matched windows needed before a stop can be told from clustering: one or two say too little of their spread.</summary>
    public const int MinimumWindows = 3;

    /// <summary>
    /// The fewest requests every matched window must hold for an empty recent window to count as a stop:
    /// ⌈m × <see cref="Dispersion"/>⌉, or <see cref="long.MaxValue"/> with fewer than <see cref="MinimumWindows"/> windows.
    /// </summary>
    public static long Required(IReadOnlyList<long> referenceWindowSubjects, DriftPolicy policy)
    {
        var dispersion = Dispersion(referenceWindowSubjects);
        var required = MinimumPerWindow(policy) * dispersion;
        return double.IsFinite(required) && required < long.MaxValue ? (long)Math.Ceiling(required) : long.MaxValue;
    }

    /// <summary>
    /// A 95% upper confidence bound on the variance-to-mean ratio of the matched windows' counts (sample variance
    /// × (k−1) / χ²(k−1) at its 5% quantile), and never below 1, a Poisson stream's; infinite with fewer than
    /// <see cref="MinimumWindows"/> windows or none with requests. Day-to-day changes of volume raise it too, which errs
    /// towards silence.
    /// </summary>
    public static double Dispersion(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var k = counts.Count;
        if (k < MinimumWindows)
        {
            return double.PositiveInfinity;
        }

        double sum = 0;
        foreach (var c in counts)
        {
            sum += c;
        }

        var mean = sum / k;
        if (mean <= 0)
        {
            return double.PositiveInfinity;
        }

        double squares = 0;
        foreach (var c in counts)
        {
            squares += (c - mean) * (c - mean);
        }

        var variance = squares / (k - 1);
        return Math.Max(1, variance / mean * UpperFactor(k - 1));
    }

    /// <summary>df / χ²(df) at its 5% quantile: how far a sample variance with df degrees of freedom may fall below the true one.</summary>
    private static double UpperFactor(int df)
    {
        // Exact quantiles for the few windows the monitor pools (4 weeks, 7 days); Wilson–Hilferty beyond.
        ReadOnlySpan<double> quantiles = [0.003932, 0.1026, 0.3518, 0.7107, 1.1455, 1.6354, 2.1673, 2.7326];
        if (df <= quantiles.Length)
        {
            return df / quantiles[df - 1];
        }

        var a = 2.0 / (9 * df);
        var q = df * Math.Pow(1 - a - (1.6449 * Math.Sqrt(a)), 3);
        return df / q;
    }

    /// <summary>
    /// The evidence on the <c>count</c> scale, every figure in one unit, <see cref="ActiveSubjects"/> of a window: the recent
    /// window's as the estimate (and <c>canary_n</c>), the fewest and most of a matched window as the bounds (their sum as
    /// <c>stable_n</c>); <c>harm</c> for a stop, <c>safe</c> while requests arrive, <c>not_enough_data</c> when an earlier
    /// window was too quiet for an empty one to mean anything.
    /// </summary>
    /// <param name="recentSubjects">
    /// <see cref="ActiveSubjects"/> of the recent window: 0 exactly when it had no request. Its requests are another unit (a
    /// row once showed 3150 requests against 0–64 groups), and the check's header already gives them.
    /// </param>
    public static MetricEvidence Assess(long recentSubjects, IReadOnlyList<long> referenceWindowSubjects, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(referenceWindowSubjects);
        var minimum = Required(referenceWindowSubjects, policy);
        var fewest = referenceWindowSubjects.Count == 0 ? 0 : referenceWindowSubjects.Min();
        var verdict = recentSubjects > 0 ? "safe" : referenceWindowSubjects.Count >= MinimumWindows && fewest >= minimum ? "harm" : "not_enough_data";
        return new MetricEvidence
        {
            Metric = Metric,
            Scale = "count",
            CanaryN = recentSubjects,
            StableN = referenceWindowSubjects.Sum(),
            Estimate = recentSubjects,
            Lower = fewest,
            Upper = referenceWindowSubjects.Count == 0 ? 0 : referenceWindowSubjects.Max(),
            Tolerance = minimum == long.MaxValue ? 0 : minimum,
            ToleranceText = minimum == long.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"none when ≥ {MinimumWindows} earlier each ≥ m·D")
                : string.Create(CultureInfo.InvariantCulture, $"none when each earlier ≥ {minimum}"),
            Verdict = verdict,
            Alpha = policy.Judge.AlphaPerMetric,
            Reason = verdict == "not_enough_data" ? Shortfall(referenceWindowSubjects, fewest, minimum, policy) : null,
        };
    }

    /// <summary>Why an empty recent window is not judged a stop: too few matched windows, or one too quiet for it to mean anything.</summary>
    private static string Shortfall(IReadOnlyList<long> windows, long fewest, long minimum, DriftPolicy policy)
    {
        if (windows.Count < MinimumWindows)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{windows.Count} matched window(s), at least {MinimumWindows} needed to tell a stop from a quiet spell");
        }

        if (minimum == long.MaxValue)
        {
            return "no matched window had a request: an empty one now is as usual";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"the quietest matched window held {fewest} active subject groups, and an empty window is a stop only when each held at least {minimum} (m {MinimumPerWindow(policy)} × D {Dispersion(windows):0.##}): {Limit(minimum)}");
    }

    private static string Limit(long minimum) => minimum > Traces.SubjectGroups.Count
        ? string.Create(CultureInfo.InvariantCulture, $"a window counts at most {Traces.SubjectGroups.Count} groups, so no stop can be alerted while the matched windows vary this much")
        : "an empty window is common at this volume";

    /// <summary>The alert's sentence.</summary>
    public static string Message(string environment, DriftWindows windows, MetricEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return string.Create(CultureInfo.InvariantCulture,
            $"no_traffic on {environment}: no request of the release in the recent window, while {windows.ReferenceText()} held {Subjects(evidence)} (a stop needs at least {evidence.Tolerance:0} in each)");
    }

    /// <summary>"37–52 active subject groups each" or "40 active subject groups": what the matched windows held.</summary>
    private static string Subjects(MetricEvidence e) => e.Lower == e.Upper
        ? string.Create(CultureInfo.InvariantCulture, $"{e.Lower:0} active subject groups")
        : string.Create(CultureInfo.InvariantCulture, $"{e.Lower:0}–{e.Upper:0} active subject groups each");
}
