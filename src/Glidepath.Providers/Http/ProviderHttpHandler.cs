using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Glidepath.Errors;

namespace Glidepath.Providers.Http;

/// <summary>
/// Sits under the provider SDK: turns every error response and connection failure into a
/// <see cref="ProviderException"/> with the status, the provider's own message (key scrubbed) and
/// retry-after, so both SDKs fail the same way and the retry layer can honour retry-after.
/// </summary>
internal sealed class ProviderHttpHandler(string provider, string? apiKey, TimeProvider time, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxErrorBodyChars = 4000;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // "cannot reach" only when no connection was made (fix base_url, DNS, the network); a connection the provider
            // cut after the request was sent reached it, and the fix is elsewhere. The address is shown without its user
            // part or query (ShownUrl), as a redirect's target is: the message reaches callers, traces and CI output.
            var where = ShownUrl.Of(request.RequestUri);
            var message = ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError
                ? $"cannot reach {where}: {ex.Message}"
                : $"the connection to {where} failed before the provider answered: {ex.Message}";
            throw new ProviderException(provider, null, ApiKey.Scrub(message, apiKey), ProviderFailure.Connection);
        }

        if (response.IsSuccessStatusCode)
        {
            AnsweredStatus.Record((int)response.StatusCode);
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                body = "";
            }

            // A redirect is not followed (it would carry the key elsewhere): say where it pointed, without its query or
            // user part (a signed address: ShownUrl), so base_url can be fixed.
            var message = ApiKey.Scrub(
                status is >= 300 and < 400
                    ? $"redirected ({status}) to {(response.Headers.Location is null ? "no Location" : ShownUrl.Of(response.Headers.Location))}; redirects are not followed: set the provider's base_url to the address it should call"
                    : ErrorMessage(body, response.ReasonPhrase),
                apiKey);
            // 503 and Anthropic's 529 (overloaded_error) say "too busy, come back": the overloaded signal of RateLimited,
            // which the gateway answers 503 provider_overloaded rather than 502. Both are retried like any 5xx.
            var failure = status switch
            {
                429 or 503 or 529 => ProviderFailure.RateLimited,
                408 => ProviderFailure.Timeout,
                >= 500 => ProviderFailure.ServerError,
                _ => ProviderFailure.Rejected,
            };
            var (param, code) = status is >= 400 and < 500 ? ErrorFields(body, apiKey) : default;
            throw new ProviderException(provider, status, message, failure, RetryAfter(response.Headers, time.GetUtcNow())) { ErrorParam = param, ErrorCode = code };
        }
    }

    /// <summary>The message of <c>{"error": {"message": …}}</c> (OpenAI and Anthropic), <c>{"error": "…"}</c> or <c>{"message": …}</c>; else the raw body, cut.</summary>
    internal static string ErrorMessage(string body, string? reason)
    {
        // Cut before anything scrubs it: the key's scrub is linear in the text times the key.
        var said = Said(body, reason);
        return said.Length > MaxErrorBodyChars ? said[..MaxErrorBodyChars] + "…" : said;
    }

    private static string Said(string body, string? reason)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return reason ?? "no error message in the response";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return error.GetString()!;
                    }

                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() + ": " : "";
                        return type + m.GetString();
                    }
                }

                if (root.TryGetProperty("message", out var msg) && msg.ValueKind == JsonValueKind.String)
                {
                    return msg.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: fall through to the raw body
        }

        return body.Trim();
    }

    /// <summary>
    /// OpenAI's <c>error.param</c> and <c>error.code</c> of a 4xx body, for the caller to see which field to fix. Only a
    /// string in the shape of a field path or a code (letters, digits, <c>_ . [ ] -</c>, at most
    /// <see cref="MaxErrorFieldChars"/> characters) that holds no part of the key is kept: free text, which could carry
    /// anything the provider echoed, is never reflected.
    /// </summary>
    internal static (string? Param, string? Code) ErrorFields(string body, string? apiKey)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? (Field(error, "param", apiKey), Field(error, "code", apiKey))
                : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private const int MaxErrorFieldChars = 128;

    private static string? Field(JsonElement error, string name, string? apiKey)
    {
        if (!error.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= MaxErrorFieldChars } text)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '[' or ']' or '-'))
            {
                return null;
            }
        }

        return ApiKey.Scrub(text, apiKey) == text ? text : null;
    }

    internal static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            // 1e300 or Infinity must not overflow: anything beyond a day is "too long" to the retry policy anyway.
            return millis < TimeSpan.FromDays(1).TotalMilliseconds ? TimeSpan.FromMilliseconds(millis) : TimeSpan.FromDays(1);
        }

        if (headers.RetryAfter is { } ra)
        {
            if (ra.Delta is { } delta)
            {
                return delta;
            }

            if (ra.Date is { } date)
            {
                var wait = date - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }
}
