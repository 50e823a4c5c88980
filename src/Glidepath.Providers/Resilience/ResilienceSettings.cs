namespace Glidepath.Providers.Resilience;

/// <summary>The resolved resilience settings of one pipeline.</summary>
internal sealed record ResilienceSettings(
    string Provider,
    TimeSpan Timeout,
    int MaxRetries,
    TimeSpan RetryBaseDelay,
    TimeSpan MaxRetryAfter,
    SemaphoreSlim Concurrency,
    string? ApiKey);
