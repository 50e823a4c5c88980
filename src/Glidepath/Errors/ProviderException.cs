using System.Net;

namespace Glidepath.Errors;

/// <summary>
/// A model provider failed: rate limited, a server error, a malformed answer, a timeout or no connection
/// (exit 3, fail closed). Carries the provider's status and message, never the API key.
/// </summary>
public sealed class ProviderException : OperationalException
{
    public ProviderException(string provider, int? statusCode, string providerMessage, ProviderFailure failure, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(Describe(provider, statusCode, providerMessage), inner)
    {
        Provider = provider;
        StatusCode = statusCode;
        ProviderMessage = providerMessage;
        Failure = failure;
        RetryAfter = retryAfter;
    }

    /// <summary>Provider name as in the manifest: anthropic, openai or sim.</summary>
    public string Provider { get; }

    /// <summary>HTTP status, or null when there was no HTTP response (connection error, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>The provider's own error message (with any API key removed).</summary>
    public string ProviderMessage { get; }

    public ProviderFailure Failure { get; }

    /// <summary>How long the provider asked us to wait (<c>retry-after</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The request field the provider's error names (OpenAI's <c>error.param</c>, e.g. <c>messages[0].content</c>), when
    /// it named one in the identifier shape a field path has; null otherwise.
    /// </summary>
    public string? ErrorParam { get; init; }

    /// <summary>The provider's error code (OpenAI's <c>error.code</c>, e.g. <c>invalid_value</c>), when it sent one in that shape; null otherwise.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>
    /// The usage the provider reported with an answer that is nonetheless a failure (a whole answer without its finish
    /// reason): it billed the call, so the trace counts it, on the translating path as on the pass-through. Null otherwise.
    /// </summary>
    public Microsoft.Extensions.AI.UsageDetails? Usage { get; init; }

    /// <summary>
    /// How many times the provider was sent the request before this failure ended the call: 1 unless the retry policy
    /// tried again (set by it as the failure leaves). A trace records it, and retry_rate judges it.
    /// </summary>
    public int Attempts { get; set; } = 1;

    /// <summary>
    /// The call was not sent: an eval's shared back-off gave up on an endpoint that could not be reached for a while. Still
    /// transient (a resume asks again), but not retried within the call: every attempt would be refused the same way.
    /// </summary>
    public bool EndpointDown { get; init; }

    /// <summary>Worth retrying: rate limits, server errors, timeouts and connection failures.</summary>
    public bool IsTransient => Failure is ProviderFailure.RateLimited or ProviderFailure.ServerError or ProviderFailure.Timeout or ProviderFailure.Connection;

    private static string Describe(string provider, int? status, string message)
    {
        var code = status is { } s ? $" {s} ({(HttpStatusCode)s})" : "";
        return $"model provider '{provider}' failed{code}: {message}";
    }
}
