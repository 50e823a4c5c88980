using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// What the judge saw for one metric when it decided, on the metric's natural scale: a ratio canary/stable
/// for latency and cost per call, a difference canary − stable otherwise.
/// </summary>
public sealed record MetricEvidence
{
    public required string Metric { get; init; }

    /// <summary>"ratio" or "difference".</summary>
    public required string Scale { get; init; }
    public required long CanaryN { get; init; }
    public required long StableN { get; init; }

    /// <summary>Null when there was not enough data to form an interval.</summary>
    public double? Estimate { get; init; }
    public double? Lower { get; init; }
    public double? Upper { get; init; }

    /// <summary>The tolerance on the same scale: e.g. 1.25 for max_ratio 1.25, -0.03 for max_drop 0.03.</summary>
    public required double Tolerance { get; init; }
    public required string ToleranceText { get; init; }

    /// <summary>harm, safe, unclear or not_enough_data.</summary>
    public required string Verdict { get; init; }

    /// <summary>This metric's share of the error budget (1 − confidence split across the metrics).</summary>
    public required double Alpha { get; init; }

    /// <summary>"+0.041 [+0.021, +0.061]" or "×1.38 [×1.27, ×1.50]", or "n/a" without data.</summary>
    public string IntervalText()
    {
        if (Estimate is not { } e || Lower is not { } l || Upper is not { } u)
        {
            return "n/a";
        }

        return Scale == "ratio"
            ? string.Create(CultureInfo.InvariantCulture, $"×{e:0.000} [×{l:0.000}, ×{Hi(u)}]")
            : string.Create(CultureInfo.InvariantCulture, $"{e:+0.0000;-0.0000} [{l:+0.0000;-0.0000}, {u:+0.0000;-0.0000}]");

        static string Hi(double u) => double.IsPositiveInfinity(u) ? "inf" : u.ToString("0.000", CultureInfo.InvariantCulture);
    }
}
