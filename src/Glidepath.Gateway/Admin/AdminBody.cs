using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Views;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Reads a request body as JSON with the views' names (snake_case) and limits; an empty body is the defaults, a malformed
/// one a <see cref="BadInputException"/> (400). A field the request does not take is refused too (400 naming it and the
/// fields it takes): a misspelt <c>expected_revison</c> or a camelCase <c>budgetUsdPerDay</c> ignored would have
/// turned off the guard or the limit it asked for, and an <c>actor</c> is never the body's to say.
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

        // Without a leading byte-order mark (RFC 8259 lets a parser ignore one; PowerShell and some .NET writers send it).
        var json = Forwarding.RequestReader.Json(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).Span;
        if (json.IsEmpty)
        {
            return new T();
        }

        RefuseInvalidText(json);
        RefuseUnknownFields<T>(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Strict) ?? new T();
        }
        catch (JsonException ex) when (JsonProblem.IsDuplicateKey(ex))
        {
            throw new BadInputException($"the request body gives a key twice in one object ({JsonProblem.Reason(ex)}); send each key once", ex);
        }
        catch (JsonException ex)
        {
            throw new BadInputException(AdminWording.BodyError(ex, json), ex);
        }
    }

    /// <summary>
    /// Text that is not valid Unicode anywhere in the body is a 400 before any JSON is read: bytes that are not UTF-8
    /// made the wording of a type error transcode them (a 500), an unpaired surrogate escape in a field name threw past
    /// the unknown-field check (a 500), and one in a value came back as "'reason' must be a string, got a string".
    /// </summary>
    private static void RefuseInvalidText(ReadOnlySpan<byte> json)
    {
        if (Wire.JsonText.FindInvalid(json) is not (var at and >= 0))
        {
            return;
        }

        throw new BadInputException(System.Text.Unicode.Utf8.IsValid(json)
            ? $"the request body is not valid Unicode: the escape at byte offset {at} is half of a surrogate pair (such as \\ud800) without its other half; send whole characters; nothing was done"
            : $"the request body is not valid UTF-8 (at byte offset {at}); send the JSON encoded as UTF-8; nothing was done");
    }

    /// <summary>
    /// Refuses a top-level field <typeparamref name="T"/> does not declare (names as the body spells them: snake_case,
    /// exact case). A body that is not a JSON object is left to the deserializer, which says what is wrong with it.
    /// </summary>
    private static void RefuseUnknownFields<T>(ReadOnlySpan<byte> json)
    {
        var declared = Strict.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToArray();
        var unknown = new List<string>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Strict.MaxDepth == 0 ? 64 : Strict.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!declared.Contains(name, StringComparer.Ordinal) && !unknown.Contains(name, StringComparer.Ordinal) && unknown.Count <= 5)
                {
                    unknown.Add(name);
                }

                reader.Read();
                reader.TrySkip();
            }
        }
        catch (JsonException)
        {
            return;
        }

        if (unknown.Count > 0)
        {
            // At most five named: a 64 KiB body of made-up names must not come back as a message of hundreds of KiB.
            var names = string.Join(", ", unknown.Take(5).Select(n => $"'{Printable(n)}'")) + (unknown.Count > 5 ? " and others" : "");
            throw new BadInputException(
                $"this request does not take {(unknown.Count == 1 ? "the field" : "the fields")} {names}; " +
                (declared.Length == 0 ? "it takes no field (send {} or no body)" : $"it takes {string.Join(", ", declared.Select(d => $"'{d}'"))} (snake_case, as spelt here)") +
                (unknown.Contains("actor", StringComparer.OrdinalIgnoreCase) ? "; the actor is always the name the credential carries" : "") +
                "; nothing was done");
        }
    }

    /// <summary>A field name fit for a message: at most 64 characters, control characters shown as '?'.</summary>
    private static string Printable(string name)
    {
        var cut = name.Length > 64 ? name[..64] + "…" : name;
        return string.Create(cut.Length, cut, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }

    // A key given twice is refused, as on the gateway's other bodies: {"reason":"a","reason":"b"} recorded "b" while a
    // log or proxy in front may have read "a". Read-only with its resolver filled in at once: GetTypeInfo on options
    // that were never used has no resolver (a copy of ViewJson.Options made before ViewJson.Options was first used has
    // none), so the first body a process read failed with a NotSupportedException, depending on what ran before.
    private static readonly JsonSerializerOptions Strict = CreateStrict();

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(ViewJson.Options) { AllowDuplicateProperties = false };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
