namespace Glidepath.Rollouts;

/// <summary>
/// What the stable release's traffic looks like, per request: the rates and spreads the rollout planner needs.
/// Read from the store when the stable release has served traffic; otherwise <see cref="Assumed"/>.
/// </summary>
public sealed record StableProfile
{
    public double ErrorRate { get; init; } = 0.01;

    /// <summary>Share of provider calls that needed a retry, and the share of requests whose provider call was counted.</summary>
    public double RetryRate { get; init; } = 0.01;
    public double ProviderCallShare { get; init; } = 1;

    /// <summary>Share of requests the caller closed before the answer ended (<c>cancel_rate</c>); assumed 5%.</summary>
    public double CancelRate { get; init; } = 0.05;

    /// <summary>Variance of ln(latency ms) of answered requests.</summary>
    public double LogLatencyVariance { get; init; } = 0.25;

    /// <summary>
    /// Share of requests that were answered streams with a first token (the observations of <c>first_token_latency</c>),
    /// and the variance of ln(time to first token ms) over them. Assumed: every request, σ 0.5, so a plan that names the
    /// metric before any traffic is planned as judged.
    /// </summary>
    public double FirstTokenShare { get; init; } = 1;
    public double LogFirstTokenVariance { get; init; } = 0.25;

    /// <summary>Squared coefficient of variation of cost per call.</summary>
    public double CostCv2 { get; init; } = 0.17;
    public double OnlinePassRate { get; init; } = 0.9;
    public double OnlineScoreVariance { get; init; } = 0.09;

    /// <summary>Share of requests scored online.</summary>
    public double OnlineSampleRate { get; init; }

    /// <summary>Share of requests that receive feedback, and the share of that feedback that is positive.</summary>
    public double FeedbackShare { get; init; } = 0.02;
    public double FeedbackPositiveRate { get; init; } = 0.8;

    /// <summary>Requests the profile was measured on; 0 when assumed.</summary>
    public long Requests { get; init; }

    public bool Observed => Requests > 0;

    /// <summary>Typical figures when the stable release has no traffic yet (1% errors, 1% retried calls, 5% cancelled, lognormal latency σ 0.5…).</summary>
    public static StableProfile Assumed(double onlineSampleRate) => new() { OnlineSampleRate = onlineSampleRate };

    /// <summary>The profile of observed stable traffic; null with fewer than 100 requests.</summary>
    public static StableProfile? From(in ArmSample stats, double onlineSampleRate)
    {
        if (stats.Requests < 100)
        {
            return null;
        }

        double Variance(double sum, double squares, long n) => n < 2 ? 0 : Math.Max(squares - (sum * sum / n), 0) / (n - 1);
        var assumed = Assumed(onlineSampleRate);
        var meanCost = stats.LatencyCount > 0 ? stats.CostSum / stats.LatencyCount : 0; // cost is over answered requests, as judged
        return new StableProfile
        {
            ErrorRate = (double)stats.Errors / stats.Requests,
            CancelRate = (double)stats.Cancelled / stats.Requests,
            RetryRate = stats.ProviderCalls > 0 ? (double)stats.RetriedCalls / stats.ProviderCalls : assumed.RetryRate,
            // No counted call at all: traffic stored before migration 0028 as likely as an app's own client; planned as judged.
            ProviderCallShare = stats.ProviderCalls > 0 ? (double)stats.ProviderCalls / stats.Requests : assumed.ProviderCallShare,
            LogLatencyVariance = stats.LatencyCount >= 2 ? Variance(stats.LogLatencySum, stats.LogLatencySquares, stats.LatencyCount) : assumed.LogLatencyVariance,
            // No stream at all is 0, not assumed: first_token_latency then has nothing to judge on this traffic.
            FirstTokenShare = (double)stats.FirstTokenCount / stats.Requests,
            LogFirstTokenVariance = stats.FirstTokenCount >= 2 ? Variance(stats.LogFirstTokenSum, stats.LogFirstTokenSquares, stats.FirstTokenCount) : assumed.LogFirstTokenVariance,
            CostCv2 = meanCost > 0 ? Variance(stats.CostSum, stats.CostSquares, stats.LatencyCount) / (meanCost * meanCost) : 0,
            OnlinePassRate = stats.OnlineScored > 0 ? (double)stats.OnlinePassed / stats.OnlineScored : assumed.OnlinePassRate,
            OnlineScoreVariance = stats.OnlineScored >= 2 ? Variance(stats.OnlineScoreSum, stats.OnlineScoreSquares, stats.OnlineScored) : assumed.OnlineScoreVariance,
            OnlineSampleRate = stats.OnlineScored > 0 ? (double)stats.OnlineScored / stats.Requests : onlineSampleRate,
            FeedbackShare = stats.FeedbackCount > 0 ? (double)stats.FeedbackCount / stats.Requests : assumed.FeedbackShare,
            FeedbackPositiveRate = stats.FeedbackCount > 0 ? (double)stats.FeedbackPositive / stats.FeedbackCount : assumed.FeedbackPositiveRate,
            Requests = stats.Requests,
        };
    }
}
