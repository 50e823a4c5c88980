using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Views;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Reads a request body as JSON with the views' names (snake_case) and limits; an empty body is the defaults, a malformed
/// one a <see cref="BadInputException"/> (400). Fields a body type does not declare — an <c>actor</c>, say — are ignored.
/// </summary>
internal static class AdminBody
{
    public const long MaxBytes = 64 * 1024;

    /// <summary>
    /// Whether the request may carry a body: a Content-Length above 0, or a body without one (chunked in HTTP/1.1, and
    /// any body in HTTP/2 or HTTP/3, which need neither header). Kestrel knows; the headers alone do not tell.
    /// </summary>
    public static bool CanHaveBody(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.ContentLength is > 0
            || (http.Request.ContentLength is null && http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
    }

    public static async Task<T> ReadAsync<T>(HttpContext http)
        where T : new()
    {
        var request = http.Request;
        if (!CanHaveBody(http))
        {
            return new T();
        }

        if (request.ContentLength > MaxBytes)
        {
            throw new BadInputException($"the request body is {request.ContentLength} bytes; at most {MaxBytes} are read");
        }

        // Read no more than one byte past the limit: a chunked body of any size is answered as the limit says (a JSON
        // error), never by the server's own 4 MiB limit, which answers 413 without a body.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= MaxBytes && (read = await request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length > MaxBytes)
        {
            throw new BadInputException($"the request body is over {MaxBytes} bytes");
        }

        if (buffer.Length == 0)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Strict) ?? new T();
        }
        catch (JsonException ex) when (JsonProblem.IsDuplicateKey(ex))
        {
            throw new BadInputException($"the request body gives a key twice in one object ({JsonProblem.Reason(ex)}); send each key once", ex);
        }
        catch (JsonException ex)
        {
            throw new BadInputException(AdminWording.BodyError(ex, buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), ex);
        }
    }

    // A key given twice is refused, as on the gateway's other bodies: {"reason":"a","reason":"b"} recorded "b" while a
    // log or proxy in front may have read "a".
    private static readonly JsonSerializerOptions Strict = new(ViewJson.Options) { AllowDuplicateProperties = false };
}
