namespace Glidepath.Rollouts;

/// <summary>Where one metric's interval lies against its tolerance.</summary>
public enum MetricVerdict
{
    /// <summary>Fewer observations on an arm than the judge needs to form an interval.</summary>
    NotEnoughData,

    /// <summary>
    /// Neither arm has a single observation of this metric (no online scorer ran, no feedback came): reported, and
    /// not in the way of advancing, because requests themselves are judged by error rate and latency.
    /// </summary>
    NoData,

    /// <summary>The interval straddles the tolerance: keep collecting.</summary>
    Unclear,

    /// <summary>The interval lies wholly inside the tolerance.</summary>
    Safe,

    /// <summary>The interval lies wholly beyond the tolerance: the canary is worse than allowed.</summary>
    Harm,
}
