namespace Glidepath.Providers.Resilience;

/// <summary>The resolved resilience settings of one pipeline.</summary>
internal sealed record ResilienceSettings(
    string Provider,
    TimeSpan Timeout,
    int MaxRetries,
    TimeSpan RetryBaseDelay,
    TimeSpan MaxRetryAfter,
    SemaphoreSlim Concurrency,
    string? ApiKey)
{
    /// <summary>The limit behind <see cref="Concurrency"/> (<c>max_concurrency</c>), for messages.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Longest wait for a concurrency slot; null waits until one frees.</summary>
    public TimeSpan? MaxQueueWait { get; init; }

    /// <summary>The back-off shared by the endpoint's calls (<see cref="Models.ModelClientOptions.SharedBackoff"/>); null: each call backs off alone.</summary>
    public ProviderBackoff? Backoff { get; init; }
}
