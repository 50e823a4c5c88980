using System.Globalization;
using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>
/// The <c>no_traffic</c> alert kind: the release answered no request in the recent window, while every matched window on
/// earlier days held at least <see cref="MinimumPerWindow"/> of its requests. For a Poisson stream of that rate a whole
/// window is empty by chance with probability e^−m; m = ⌈ln(windows per day / α)⌉ keeps that below α per day of sliding
/// windows, so a quiet hour of a quiet release is not a stop. Pure.
/// </summary>
public static class TrafficStop
{
    public const string Metric = "no_traffic";

    /// <summary>The fewest requests every matched window must hold for an empty recent window to count as a stop.</summary>
    public static long MinimumPerWindow(DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var windowsPerDay = Math.Max(1, TimeSpan.FromDays(1) / policy.RecentWindow);
        return (long)Math.Ceiling(Math.Log(windowsPerDay / policy.Judge.AlphaPerMetric));
    }

    /// <summary>
    /// The evidence on the <c>count</c> scale: the recent window's requests as the estimate, the fewest and most requests of a
    /// matched window as the bounds; <c>harm</c> for a stop, <c>safe</c> while requests arrive, <c>not_enough_data</c> when an
    /// earlier window was too quiet for an empty one to mean anything.
    /// </summary>
    public static MetricEvidence Assess(long recentRequests, IReadOnlyList<long> referenceWindowRequests, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(referenceWindowRequests);
        var minimum = MinimumPerWindow(policy);
        var fewest = referenceWindowRequests.Count == 0 ? 0 : referenceWindowRequests.Min();
        var verdict = recentRequests > 0 ? "safe" : referenceWindowRequests.Count > 0 && fewest >= minimum ? "harm" : "not_enough_data";
        return new MetricEvidence
        {
            Metric = Metric,
            Scale = "count",
            CanaryN = recentRequests,
            StableN = referenceWindowRequests.Sum(),
            Estimate = recentRequests,
            Lower = fewest,
            Upper = referenceWindowRequests.Count == 0 ? 0 : referenceWindowRequests.Max(),
            Tolerance = minimum,
            ToleranceText = string.Create(CultureInfo.InvariantCulture, $"none when each earlier ≥ {minimum}"),
            Verdict = verdict,
            Alpha = policy.Judge.AlphaPerMetric,
        };
    }

    /// <summary>The alert's sentence.</summary>
    public static string Message(string environment, DriftWindows windows, MetricEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return string.Create(CultureInfo.InvariantCulture,
            $"no_traffic on {environment}: no request of the release in the recent window, while {windows.ReferenceText()} held {Requests(evidence)} (a stop needs at least {evidence.Tolerance:0} in each)");
    }

    /// <summary>"37–52 requests each" or "40 requests": what the matched windows held.</summary>
    private static string Requests(MetricEvidence e) => e.Lower == e.Upper
        ? string.Create(CultureInfo.InvariantCulture, $"{e.Lower:0} requests")
        : string.Create(CultureInfo.InvariantCulture, $"{e.Lower:0}–{e.Upper:0} requests each");
}
