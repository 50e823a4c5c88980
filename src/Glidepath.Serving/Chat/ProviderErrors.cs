using System.Net;
using Glidepath.Errors;

namespace Glidepath.Serving.Chat;

/// <summary>Turns a provider failure into the status, error class and message the caller gets, and the trace's error.</summary>
internal static class ProviderErrors
{
    public static ChatFailure Map(Exception ex)
    {
        if (ex is ProviderException p)
        {
            ChatFailure failure = p.Failure switch
            {
                ProviderFailure.RateLimited when p.StatusCode is 529 or 503 => new(503, ErrorKinds.Overloaded, $"the model provider is overloaded: {p.ProviderMessage}", "provider_overloaded") { RetryAfter = p.RetryAfter },
                ProviderFailure.RateLimited => new(429, ErrorKinds.RateLimited, $"the model provider is rate limiting: {p.ProviderMessage}", "rate_limited") { RetryAfter = p.RetryAfter },
                ProviderFailure.Timeout => new(504, ErrorKinds.Timeout, "the model provider did not answer in time", "timeout"),
                ProviderFailure.Rejected when p.StatusCode is 400 or 413 or 422 => new(400, ErrorKinds.InvalidRequest, $"the model provider rejected the request: {p.ProviderMessage}", "provider_rejected"),
                ProviderFailure.Configuration => new(503, ErrorKinds.Unavailable, $"the gateway's provider settings are incomplete: {p.ProviderMessage}", "configuration"),
                _ => new(502, ErrorKinds.Api, $"the model provider failed: {p.ProviderMessage}", "provider_error"),
            };

            // A provider's 4xx names what to fix (OpenAI's param and code): kept for a caller who gets a 4xx too.
            return failure.Status is >= 400 and < 500 && (p.ErrorParam is not null || p.ErrorCode is not null)
                ? failure with { Param = p.ErrorParam, Code = p.ErrorCode }
                : failure;
        }

        var status = StatusOf(ex);
        if (ex is TimeoutException or TaskCanceledException || status is 504 or 408)
        {
            return new(504, ErrorKinds.Timeout, "the model provider did not answer in time", "timeout");
        }

        return status switch
        {
            429 => new(429, ErrorKinds.RateLimited, $"the model provider is rate limiting: {ex.Message}", "rate_limited"),
            400 or 413 or 422 => new(400, ErrorKinds.InvalidRequest, $"the model provider rejected the request: {ex.Message}", "provider_rejected"),
            529 or 503 => new(503, ErrorKinds.Overloaded, $"the model provider is overloaded: {ex.Message}", "provider_overloaded"),
            _ => new(502, ErrorKinds.Api, $"the model provider failed: {ex.Message}", "provider_error"),
        };
    }

    /// <summary>The provider's own status and message for the trace (scrubbed of keys and personal data).</summary>
    public static (int? Status, string? Message) Upstream(Exception ex) => ex is ProviderException p
        ? (p.StatusCode is > 0 ? p.StatusCode : null, Glidepath.Traces.UpstreamText.Scrub(p.ProviderMessage))
        : (StatusOf(ex), Glidepath.Traces.UpstreamText.Scrub(ex.Message));

    /// <summary>
    /// The HTTP status of a failure that did not come through the providers pipeline as a <see cref="ProviderException"/>
    /// (the pipeline translates every SDK exception; this covers a bare <see cref="HttpRequestException"/>).
    /// </summary>
    private static int? StatusOf(Exception ex) => ex switch
    {
        HttpRequestException { StatusCode: { } code } => (int)code,
        { InnerException: { } inner } => StatusOf(inner),
        _ => null,
    };
}
