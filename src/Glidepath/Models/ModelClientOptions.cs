using Microsoft.Extensions.AI;

namespace Glidepath.Models;

/// <summary>Per-use options of a model client pipeline.</summary>
public sealed record ModelClientOptions
{
    /// <summary>How the store's response cache is used (evals); <see cref="ResponseCacheMode.Off"/> on live traffic.</summary>
    public ResponseCacheMode Cache { get; init; }

    /// <summary>
    /// Whether an answer may be cached: one this returns false for is neither written to the response cache nor served
    /// from it (a judge's answer no score can be read from, which is an error, and errors are never cached). Null: every answer.
    /// </summary>
    public Func<ChatResponse, bool>? Cacheable { get; init; }

    /// <summary>Which trial of a case this is: part of the cache key so trials are independent samples.</summary>
    public int TrialIndex { get; init; }

    /// <summary>
    /// What the calls are made for, written into their response-cache key beside the request and the trial: an eval's judge
    /// calls are <see cref="JudgeCacheScope"/>, so a judge's answer is never served for a release's call of the same text, and
    /// the judge answers cached before its calls were keyed by trial (2026-12-07: every trial of a case read trial 0's
    /// verdict) are not served at all. Null (a release's calls) leaves the key as it always was.
    /// </summary>
    public string? CacheScope { get; init; }

    /// <summary>The <see cref="CacheScope"/> of an eval judge's calls.</summary>
    public const string JudgeCacheScope = "judge";

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

    /// <summary>
    /// A separate pool of the provider's <c>max_concurrency</c> slots for these calls, by name; null shares the provider's
    /// pool. Shadow calls use their own (<c>shadow</c>): in the callers' pool, a candidate that hangs held the slots of
    /// the callers it was mirrored from until its timeout (outside trial shadowcaps: 64% fewer caller requests at
    /// max_concurrency 6).
    /// </summary>
    public string? Lane { get; init; }

    /// <summary>
    /// Share one back-off with every other call to the same model of the same provider endpoint made with this option: in
    /// a storm (half of the model's latest attempts rate limited), after a 429 or 503 (its <c>retry-after</c>, else the
    /// retry's backoff, capped at 60 s) no call starts until then, and then one goes
    /// first while the rest wait for its answer. Evals set it, so a 429 storm is not met by every concurrent call retrying
    /// on its own (trial gatejudge L7); the gateway does not (a caller gets the provider's 429 and its retry-after).
    /// </summary>
    public bool SharedBackoff { get; init; }
}
