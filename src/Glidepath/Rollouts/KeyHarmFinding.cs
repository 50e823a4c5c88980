namespace Glidepath.Rollouts;

/// <summary>One caller key the canary fails beyond stable by more than <c>error_rate</c>'s tolerance, beyond chance (<see cref="KeyHarm"/>).</summary>
/// <param name="Key">The caller key's name.</param>
/// <param name="CanaryRequests">The key's requests on the canary this step.</param>
/// <param name="CanaryErrors">Of them, errors.</param>
/// <param name="StableRequests">The key's requests on stable this step.</param>
/// <param name="StableErrors">Of them, errors.</param>
/// <param name="Statistic">(p̃_canary − p̃_stable − tolerance) / its standard error.</param>
/// <param name="Threshold">The one-sided quantile it exceeded, at <paramref name="Level"/>.</param>
/// <param name="KeysCompared">How many keys had enough requests on both arms to be compared (K).</param>
/// <param name="Level">α / (2K).</param>
public sealed record KeyHarmFinding(string Key, long CanaryRequests, long CanaryErrors, long StableRequests, long StableErrors, double Statistic, double Threshold, int KeysCompared, double Level)
{
    /// <summary>The key's error rate on the canary (unadjusted).</summary>
    public double CanaryRate => CanaryRequests > 0 ? (double)CanaryErrors / CanaryRequests : 0;

    /// <summary>The key's error rate on stable (unadjusted).</summary>
    public double StableRate => StableRequests > 0 ? (double)StableErrors / StableRequests : 0;
}
