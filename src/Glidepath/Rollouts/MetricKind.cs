namespace Glidepath.Rollouts;

/// <summary>How a metric's canary − stable comparison is formed.</summary>
public enum MetricKind
{
    /// <summary>Difference of proportions (error rate, retry rate, cancel rate, online pass rate, positive feedback).</summary>
    Proportion,

    /// <summary>Difference of means (online mean score).</summary>
    Mean,

    /// <summary>Difference of mean logs, reported as a ratio of geometric means (latency, first_token_latency).</summary>
    LogMean,

    /// <summary>Log of the ratio of means by the delta method, reported as a ratio (cost per call).</summary>
    RatioOfMeans,

    /// <summary>
    /// Difference of the shares of answered requests slower than the stable arm's latency quantile (its p95 or
    /// p99, read from the stable arm's histogram): catches a slower tail that leaves the typical request unchanged.
    /// </summary>
    TailShare,
}
