using System.Text.Json;

namespace Glidepath.Errors;

/// <summary>
/// Reading untrusted JSON strictly, and saying what was wrong with it in the parser's own words: a dataset line, a
/// gateway request and a feedback body are refused for a key given twice in one object, since two readers of the same
/// text (ours and a provider's, say) may each take a different copy of it.
/// </summary>
public static class JsonProblem
{
    /// <summary>Parsing that refuses a key repeated in one object, at any depth.</summary>
    public static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// The parser's own words without its position suffix (" Path: $ | LineNumber: 0 | BytePositionInLine: 5."), which a
    /// caller gives in its own form: "Duplicate property 'id'", "'}' is invalid after a value".
    /// </summary>
    public static string Reason(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        cut = cut < 0 ? message.IndexOf(" LineNumber:", StringComparison.Ordinal) : cut;
        message = (cut < 0 ? message : message[..cut]).Replace(" Change the reader options.", "", StringComparison.Ordinal);

        // The serializer names our own type ("Duplicate property 'reason' of type 'Glidepath.…' encountered …"): a
        // caller neither knows nor needs it.
        var type = message.IndexOf(" of type '", StringComparison.Ordinal);
        var typeEnd = type < 0 ? -1 : message.IndexOf('\'', type + " of type '".Length);
        message = typeEnd < 0 ? message : message[..type] + message[(typeEnd + 1)..];
        return message.Replace(" encountered during deserialization", "", StringComparison.Ordinal).TrimEnd('.', ' ');
    }

    /// <summary>Whether the parser refused the text for a key given twice in one object (under <see cref="Strict"/>).</summary>
    public static bool IsDuplicateKey(JsonException ex) => Reason(ex).StartsWith("Duplicate property", StringComparison.Ordinal);
}
