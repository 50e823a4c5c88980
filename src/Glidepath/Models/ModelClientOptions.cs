namespace Glidepath.Models;

/// <summary>Per-use options of a model client pipeline.</summary>
public sealed record ModelClientOptions
{
    /// <summary>Use the store's response cache (evals); never on live traffic.</summary>
    public bool UseCache { get; init; }

    /// <summary>Which trial of a case this is: part of the cache key so trials are independent samples.</summary>
    public int TrialIndex { get; init; }

    /// <summary>Environment name for telemetry, when serving an environment.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// Longest wait for one of the provider's <c>max_concurrency</c> slots before the call fails as overloaded (503);
    /// null waits as long as it takes (evals and the CLI queue their own calls). The gateway sets it so hanging
    /// upstream calls cannot starve healthy traffic.
    /// </summary>
    public TimeSpan? MaxQueueWait { get; init; }

    /// <summary>
    /// Send whole (not streamed) OpenAI-compatible calls through Glidepath's own wire client instead of the OpenAI SDK:
    /// the same request and answer for a fraction of the CPU. Evals set it; other callers keep the SDK path.
    /// </summary>
    public bool LeanClient { get; init; }
}
