using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Gateway.Wire;
using Glidepath.Providers.Forwarding;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// Reads a chat request off the wire: JSON content type, size, headers, then the body in the caller's format.
/// Everything the caller must fix leaves as a <see cref="WireException"/> (400, 413, 415, 431), never as another exception.
/// </summary>
internal static class RequestReader
{
    /// <summary>Total request header bytes (names and values) the gateway reads; more is a 431 in the caller's format.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Request headers the gateway reads; more is a 431 in the caller's format.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Reads and parses the body; the caller owns (and disposes) <paramref name="body"/>, which keeps the body's bytes for the pass-through path.</summary>
    public static async Task<ChatRequest> ReadAsync(HttpRequest request, IWireFormat wire, long maxBodyBytes, PooledBuffer body, CancellationToken ct)
    {
        CheckHeaders(request.Headers);
        CheckContentType(request.ContentType);
        if (request.ContentLength is { } length && length > maxBodyBytes)
        {
            throw TooLarge(maxBodyBytes);
        }

        try
        {
            if (!await body.ReadAllAsync(request.Body, maxBodyBytes, ct).ConfigureAwait(false))
            {
                throw TooLarge(maxBodyBytes);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBodyBytes);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // The server's minimum body data rate: the caller stalled mid-body. Said in our words (the server's message
            // names its own setting), as a 408, which the caller's SDK may retry.
            throw TooSlow();
        }
        catch (BadHttpRequestException ex)
        {
            throw WireException.BadRequest($"the request body could not be read: {ex.Message}");
        }
        catch (IOException ex)
        {
            // The caller dropped the connection mid-body: its doing, never a gateway failure counted against a release.
            ct.ThrowIfCancellationRequested();
            throw WireException.BadRequest($"the request body could not be read: {ex.Message}");
        }

        return Parse(body.Memory, wire);
    }

    /// <summary>Parses a whole body (the property-based tests call this directly, without HTTP); a leading byte-order mark is skipped (<see cref="Json"/>).</summary>
    public static ChatRequest Parse(ReadOnlyMemory<byte> body, IWireFormat wire)
    {
        body = Json(body);
        CheckText(body.Span);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, JsonProblem.Strict);
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }

        using (doc)
        {
            return Parse(doc.RootElement, wire);
        }
    }

    /// <summary>
    /// The JSON of <paramref name="body"/>: the body without a leading UTF-8 byte-order mark, which RFC 8259 lets a parser
    /// ignore and PowerShell and some .NET writers put first. A slice, not a copy; the pass-through path patches and
    /// forwards this, so the provider gets the JSON that was parsed, without the mark.
    /// </summary>
    public static ReadOnlyMemory<byte> Json(ReadOnlyMemory<byte> body) => body.Span.StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Text that is not valid Unicode anywhere in <paramref name="body"/> is a 400: not only in the fields the parser reads
    /// (the rest goes to the provider as it came). Run before the parser: its duplicate-key check reads escaped property
    /// names, and one with an unpaired surrogate threw past its <see cref="JsonException"/> (a 500).
    /// </summary>
    public static void CheckText(ReadOnlySpan<byte> body)
    {
        if (JsonText.FindInvalid(body) is var at and >= 0)
        {
            throw WireException.BadRequest(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the request body has text that is not valid Unicode at byte {at} (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800); send UTF-8 text"));
        }
    }

    /// <summary>
    /// Only JSON is read: a <c>text/plain</c> or form body is a 415. This also keeps a web page from posting to a
    /// gateway on the user's machine with a "simple" cross-site request, which a browser sends without asking.
    /// </summary>
    public static void CheckContentType(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type
            || !(type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new WireException(415, ErrorKinds.InvalidRequest,
                $"the request's content type is '{contentType ?? "(none)"}'; send the JSON body with 'Content-Type: application/json'");
        }

        // A charset may be a quoted string (RFC 9110): charset="UTF-8" is UTF-8.
        if (media.Charset.HasValue && HeaderUtilities.RemoveQuotes(media.Charset) is var charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new WireException(415, ErrorKinds.InvalidRequest, $"the request's charset is '{charset}'; the gateway reads UTF-8 JSON only: send 'Content-Type: application/json'");
        }
    }

    /// <summary>
    /// The gateway's own header limits, below Kestrel's (which answers without a body), so the caller gets its format; and
    /// a header the gateway reads whose value was not UTF-8 (<see cref="HeaderText"/>) is a 400, named, its value not shown.
    /// </summary>
    public static void CheckHeaders(IHeaderDictionary headers)
    {
        if (headers.Count > MaxHeaderCount)
        {
            throw new WireException(431, ErrorKinds.InvalidRequest, $"the request has {headers.Count} headers; the gateway reads at most {MaxHeaderCount}");
        }

        long bytes = 0;
        foreach (var (name, values) in headers)
        {
            bytes += name.Length;
            foreach (var value in values)
            {
                bytes += value?.Length ?? 0;
                if (HeaderText.Malformed(value) && HeaderText.Read(name))
                {
                    throw WireException.BadRequest($"header '{name}' is not UTF-8 text (it holds bytes that are not UTF-8, such as a Latin-1 character, or a NUL); send its value as ASCII or UTF-8");
                }
            }
        }

        if (bytes > MaxHeaderBytes)
        {
            throw new WireException(431, ErrorKinds.InvalidRequest, $"the request's headers take {bytes / 1024} KiB; the gateway reads at most {MaxHeaderBytes / 1024} KiB");
        }
    }

    public static WireException TooLarge(long maxBodyBytes) => new(413, ErrorKinds.TooLarge, $"the request body is larger than the gateway's limit of {maxBodyBytes / 1024} KiB");

    /// <summary>A body whose bytes stopped coming (slower than the server's minimum data rate): 408, in the caller's format.</summary>
    public static WireException TooSlow() => new(408, ErrorKinds.Timeout,
        "the request body arrived too slowly and the gateway stopped waiting for the rest of it; send the whole body without pauses");

    private static ChatRequest Parse(JsonElement root, IWireFormat wire)
    {
        try
        {
            return wire.Parse(root);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            // The parsers check what they read; this is the net under them: a shape they did not expect is still the caller's.
            throw WireException.BadRequest($"the request body has a value the gateway cannot read: {ex.Message}");
        }
    }

    private static WireException NotJson(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
        // A key given twice is refused, not read once: the provider's parser might take the other copy, which the
        // gateway never checked (and the trace would show what the model did not see).
        return WireException.BadRequest(JsonProblem.IsDuplicateKey(ex)
            ? $"the request body gives a key twice in one object{where} ({JsonProblem.Reason(ex)}); send each key once"
            : $"the request body is not valid JSON{where} ({JsonProblem.Reason(ex)}); expected a JSON object with 'model' and 'messages'");
    }
}
