using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Providers.Http;

namespace Glidepath.Providers.Resilience;

/// <summary>Maps whatever a provider SDK threw to one <see cref="ProviderException"/>, key scrubbed.</summary>
internal static class ProviderErrors
{
    public static ProviderException Translate(string provider, Exception ex, string? apiKey)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is ProviderException pe)
            {
                return pe;
            }
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            // The connection failed after the headers (the upstream cut the body): a connection error, worth a retry.
            if (e is IOException or HttpRequestException)
            {
                return new ProviderException(provider, null, ApiKey.Scrub($"the connection failed while reading the response: {e.Message}", apiKey), ProviderFailure.Connection, inner: null);
            }
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            // The Anthropic SDK's error event in a stream ("SSE error returned from server: '{…}'"): the provider's own
            // message and kind, as the pass-through path reads them from the same event, not the SDK's wrapping.
            if (e.GetType().Name.Contains("SseException", StringComparison.Ordinal) && ErrorEvent(e.Message) is { } json)
            {
                var said = ApiKey.Scrub(ProviderHttpHandler.ErrorMessage(json, null), apiKey);
                return json.Contains("\"overloaded_error\"", StringComparison.Ordinal)
                    ? new ProviderException(provider, 529, said, ProviderFailure.RateLimited, inner: null)
                    : new ProviderException(provider, null, said, ProviderFailure.ServerError, inner: null);
            }
        }

        var malformed = false;
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is JsonException or FormatException || e.GetType().Name.Contains("InvalidData", StringComparison.Ordinal))
            {
                malformed = true;
            }
        }

        var message = ApiKey.Scrub(ex.Message, apiKey);
        return malformed
            ? new ProviderException(provider, null, $"the response is not in the provider's documented format ({message})", ProviderFailure.MalformedResponse)
            : new ProviderException(provider, null, $"{ex.GetType().Name}: {message}", ProviderFailure.MalformedResponse);
    }

    /// <summary>The JSON object an SDK's message quotes (from its first <c>{</c> to its last <c>}</c>), or null.</summary>
    private static string? ErrorEvent(string message)
    {
        var (from, to) = (message.IndexOf('{', StringComparison.Ordinal), message.LastIndexOf('}'));
        if (from < 0 || to <= from)
        {
            return null;
        }

        var json = message[from..(to + 1)];
        try
        {
            using var _ = JsonDocument.Parse(json);
            return json;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="failure"/> saying the provider answered with <paramref name="status"/> (its HTTP status, null when
    /// it did not answer) when the failure carries no status of its own: a failure after the answer began (a malformed
    /// body, a stream cut or stalled) is traced with the status the provider answered with, on both paths.
    /// </summary>
    public static ProviderException Answered(ProviderException failure, int? status) =>
        failure.StatusCode is not null || status is not { } answered
            ? failure
            : new ProviderException(failure.Provider, answered, failure.ProviderMessage, failure.Failure, failure.RetryAfter, failure.InnerException)
            {
                ErrorParam = failure.ErrorParam,
                ErrorCode = failure.ErrorCode,
            };

    /// <summary>A stream that ended before the provider said why it stopped: cut short upstream (both provider paths).</summary>
    public static ProviderException Unfinished(string provider) =>
        new(provider, null, "the stream ended before the provider finished its answer (no finish reason); it was cut short upstream", ProviderFailure.MalformedResponse);

    public static ProviderException Timeout(string provider, TimeSpan timeout, bool streaming) =>
        new(provider, null,
            streaming
                ? $"no data from the stream for {timeout.TotalSeconds:0.###} s (timeout); raise providers.{provider}.timeout if the model is slow"
                : $"no response within {timeout.TotalSeconds:0.###} s (timeout); raise providers.{provider}.timeout if the model is slow",
            ProviderFailure.Timeout);
}
