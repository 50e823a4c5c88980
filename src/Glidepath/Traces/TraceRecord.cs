namespace Glidepath.Traces;

/// <summary>One request through the gateway or SDK: which release and arm served it, how it went, what it cost.</summary>
public sealed record TraceRecord
{
    /// <summary>32 lower-case hex digits (the W3C trace id when OpenTelemetry is on).</summary>
    public required string TraceId { get; init; }
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required string ReleaseId { get; init; }
    public required string Arm { get; init; }

    /// <summary>The id of the caller's key (<see cref="Keys.ApiKey.Id"/>); null when the request came without one (authentication off).</summary>
    public string? KeyId { get; init; }

    /// <summary>The name of the caller's key, as it was when the request came.</summary>
    public string? KeyName { get; init; }

    /// <summary>One-way hash of the sticky key; null for a per-request key.</summary>
    public string? SubjectHash { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>openai or anthropic: the wire format the caller used.</summary>
    public required string Api { get; init; }
    public bool Stream { get; init; }
    public string? Model { get; init; }

    /// <summary>HTTP status returned to the caller.</summary>
    public required int Status { get; init; }

    /// <summary>Short error class (provider_error, timeout, rate_limited, bad_request…) or null on success.</summary>
    public string? Error { get; init; }

    /// <summary>The model provider's HTTP status when the provider failed (null when it answered or was never reached).</summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>The provider's error message, scrubbed (<see cref="UpstreamText"/>): what it said, without keys or personal data.</summary>
    public string? UpstreamMessage { get; init; }

    /// <summary>
    /// How many times Glidepath's provider pipeline sent this request to the model provider: 1 when the first attempt
    /// answered (or failed for good), more when retries were needed (whatever the final outcome), 0 when no provider call
    /// was counted (the request never reached the provider, or an app's own client called it, whose retries Glidepath
    /// does not see; also every trace stored before migration 0028). Judged as <c>retry_rate</c>.
    /// </summary>
    public int Attempts { get; init; }

    public required double LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }

    /// <summary>Time spent in the gateway itself (total minus waiting for the provider).</summary>
    public required double OverheadMs { get; init; }

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public double CostUsd { get; init; }
    public string? FinishReason { get; init; }

    /// <summary>Request messages as JSON, redacted, only when the capture policy keeps content; else null.</summary>
    public string? InputJson { get; init; }

    /// <summary>The response text, redacted, only when the capture policy keeps content; else null.</summary>
    public string? OutputText { get; init; }

    /// <summary>
    /// Why the captured content was not kept though the capture policy asked for it (the gateway's trace queue held its
    /// budget of captured bytes, during a store outage); null when it was kept or not asked for.
    /// </summary>
    public string? CaptureDropped { get; init; }

    /// <summary>Mean score of the online scorers when this request was sampled for online scoring; else null.</summary>
    public double? OnlineScore { get; init; }

    /// <summary>Whether every applicable online scorer passed (a scorer error counts as not passed); null when not sampled.</summary>
    public bool? OnlinePassed { get; init; }

    /// <summary>Each online scorer's outcome as a JSON array ({scorer, score, passed, reason, error}); null when not sampled.</summary>
    public string? OnlineScoresJson { get; init; }

    /// <summary>
    /// Counts against the release: a server-side failure, a timeout, a rate limit, or the provider rejecting what the
    /// release sent (<c>provider_rejected</c>: a release with settings the provider refuses must not look merely
    /// "refused by the caller" and escape the judge; a caller's own oversized prompt hits both arms alike), or the
    /// release's prompt needing a per-request variable the caller did not send (<c>missing_variable</c>: a canary whose
    /// prompt needs what callers do not send fails them all), or a <c>tool_choice</c> naming a tool the stable release
    /// declares and the candidate dropped (<c>missing_tool</c>, likewise). A request the gateway itself refused as the
    /// caller's mistake (<see cref="Refused"/>, a 408 for a body that arrived too slowly included) is not an error (and not
    /// counted at all, see TraceAggregator).
    /// </summary>
    public bool IsError => Status >= 500 || Status is 429 || (Status is 408 && Error != Refused) || (Error is { } error && CountedRefusals.Contains(error));

    /// <summary>The error class of a request the gateway refused as the caller's mistake (a bad body, a body sent too slowly).</summary>
    public const string Refused = "bad_request";

    /// <summary>The error classes of a 4xx that count as an error of the release (<see cref="IsError"/>): one list for the code and the stores' queries.</summary>
    public static readonly IReadOnlyList<string> CountedRefusals = ["provider_rejected", "missing_variable", "missing_tool"];

    /// <summary>
    /// The error classes a caller's request alone can cause on one arm: a refusal of the request (<see cref="CountedRefusals"/>)
    /// and a timeout (a prompt that runs a slower model into it); not a provider's own failure (5xx, 429). The judge does not
    /// credit a canary with fewer of these than stable beyond chance (docs/rollouts.md, "Errors a caller can cause on one arm").
    /// </summary>
    public static readonly IReadOnlyList<string> OneArmErrors = [.. CountedRefusals, "timeout"];

    /// <summary>
    /// The caller closed the request before the answer ended (499 <c>client_closed</c>, gateway and SDK alike): not an
    /// error of the release and not an answered request. Its latency is the time until the caller left and its cost a
    /// partial estimate, so neither is in the latency or cost sums; it counts in <c>cancel_rate</c> (docs/rollouts.md).
    /// </summary>
    public bool IsCancelled => Status == 499 && !IsError;

    /// <summary>Whether this request counts as an error (<see cref="IsError"/>) of a class in <see cref="OneArmErrors"/>.</summary>
    public bool IsOneArmError => IsError && Error is { } error && OneArmErrors.Contains(error);
}
