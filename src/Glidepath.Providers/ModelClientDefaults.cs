namespace Glidepath.Providers;

/// <summary>
/// Defaults for settings the manifest leaves out, and knobs tests turn (retry base delay, HTTP handler).
/// </summary>
public sealed record ModelClientDefaults
{
    /// <summary>Per attempt for a whole response; for a stream, the longest wait for its next chunk.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt on 429, 5xx, timeouts and connection errors.</summary>
    public int MaxRetries { get; init; } = Glidepath.Manifests.ProviderSettings.DefaultMaxRetries;

    /// <summary>Calls in flight per provider endpoint.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>First backoff delay; doubles per retry, with jitter, unless the provider sent retry-after.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry-after we honour; a provider asking for longer fails the call.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a cached response stays valid.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Reads an environment variable (API keys). Tests pass their own.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Mixed into the sim's per-call draws (faults, off-policy answers, latency): null (evals, tests) draws the same
    /// sequence in every process; <c>glidepath serve</c> sets one per process (<see cref="SimProcessSalt.ForProcess"/>).
    /// </summary>
    public string? SimSalt { get; init; }

    /// <summary>
    /// Told, in one line, when an eval's shared back-off on an endpoint starts (rate limited, or unreachable), when it ends,
    /// and when it gives up on the endpoint: the CLI writes it to stderr, so a CI log shows a wait, not a hang. Null: not told.
    /// </summary>
    public Action<string>? BackoffNotice { get; init; }

    /// <summary>Innermost HTTP handler (tests may inject one); null = a pooled SocketsHttpHandler.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }
}
