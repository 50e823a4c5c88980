using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// Reads a JSON Lines dataset as a stream, one case a line. Every bad line is reported as
/// <c>file:line: what is wrong; expected …</c>; all of them are collected before failing (exit 2).
/// </summary>
public static class DatasetReader
{
    /// <summary>Longest line (one case) accepted, in bytes (1 MiB).</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>
    /// How long a line over <see cref="MaxLineBytes"/> may be (64 MiB) and still be skipped to its line break, so the lines
    /// after it are checked too; a longer one ends the read (a stream without line breaks, such as <c>/dev/zero</c>).
    /// </summary>
    public const long MaxSkippedLineBytes = 64L * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private const string CaseShape = "expected {\"id\": \"...\", \"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"...\"}], \"vars\": {...}}, \"expect\": {...}, \"tags\": [...]}";

    public static async Task<EvalDataset> LoadAsync(string path, string displayName, CancellationToken cancellationToken)
    {
        await using var stream = Open(path, displayName);
        return await ReadAsync(stream, path, displayName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sha256 of the dataset file's bytes, without reading its cases: the hash a run and a gate verdict record (they
    /// hash every byte they read, and read to the end of a valid file). What a verdict is compared with to count.
    /// </summary>
    public static async Task<string> Sha256Async(string path, string displayName, CancellationToken cancellationToken)
    {
        await using var stream = Open(path, displayName);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    internal static FileStream Open(string path, string displayName) => File.Exists(path)
        ? Files.BoundedFile.OpenRead(path)
        : throw new BadInputException($"{displayName}: no such dataset file; expected a JSON Lines file (one case a line)");

    public static async Task<EvalDataset> ReadAsync(Stream stream, string path, string displayName, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var cases = new List<EvalCase>();
        var errors = new List<string>();
        await foreach (var c in ReadCasesAsync(stream, displayName, sha, errors, checkIds: true, cancellationToken).ConfigureAwait(false))
        {
            cases.Add(c);
        }

        if (errors.Count > 0)
        {
            throw new DatasetException(errors);
        }

        return new EvalDataset(path, Convert.ToHexStringLower(sha.GetHashAndReset()), cases);
    }

    /// <summary>
    /// The valid cases of <paramref name="stream"/> in file order, one at a time, hashing every byte into <paramref name="sha"/>.
    /// What is wrong with a line goes to <paramref name="errors"/> and the line is skipped; <paramref name="checkIds"/> also
    /// reports an id seen before (it keeps every id, so a second read of a file already checked leaves it off).
    /// </summary>
    internal static async IAsyncEnumerable<EvalCase> ReadCasesAsync(
        Stream stream, string displayName, IncrementalHash sha, List<string> errors, bool checkIds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var hashing = new HashingStream(stream, sha);
        var reader = new Utf8LineReader(hashing, MaxLineBytes, MaxSkippedLineBytes);
        var seen = checkIds ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
        var lineNo = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } raw)
        {
            lineNo++;
            if (raw.TooLong)
            {
                // Skipped to its line break without being held, so later lines are checked too (outside trial gate1000 L4);
                // one with no line break within 64 MiB ends the read: a stream without one (/dev/zero) would be read for ever.
                errors.Add(raw.RestUnread
                    ? $"{displayName}:{lineNo}: the line is longer than {MaxLineBytes / 1024} KiB, and no line break follows within {MaxSkippedLineBytes / (1024 * 1024)} MiB; expected one case of at most {MaxLineBytes / 1024} KiB a line (the rest of the file was not read)"
                    : $"{displayName}:{lineNo}: the line is longer than {MaxLineBytes / 1024} KiB; expected one case of at most that size a line");
                if (raw.RestUnread)
                {
                    yield break;
                }

                continue;
            }

            if (TextEncodingCheck.Problem(raw.Bytes.Span, lineNo) is { } encoding)
            {
                errors.Add($"{displayName}:{lineNo}: {encoding}; expected a UTF-8 text file: save it as UTF-8 (the rest of the file was not read)");
                yield break;
            }

            var bytes = raw.Bytes.Span;
            if (lineNo == 1 && bytes.StartsWith(Utf8Bom))
            {
                bytes = bytes[Utf8Bom.Length..];
            }

            string line;
            try
            {
                line = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                errors.Add($"{displayName}:{lineNo}: not valid UTF-8; expected a UTF-8 text file");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line) || ParseLine(line, lineNo, displayName, errors) is not { } parsed)
            {
                continue;
            }

            if (seen is not null && seen.TryGetValue(parsed.Id, out var first))
            {
                errors.Add($"{displayName}:{lineNo}: duplicate id '{parsed.Id}' (first on line {first}); expected every case id to be unique");
                continue;
            }

            seen?.Add(parsed.Id, lineNo);
            yield return parsed;
        }
    }

    internal static EvalCase? ParseLine(string line, int lineNo, string file, List<string> errors)
    {
        try
        {
            return ParseCase(line, lineNo, file, errors);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to read a string holding a lone surrogate escape (e.g. "\uD800") as text.
            errors.Add($"{file}:{lineNo}: a string holds an escape that is not valid Unicode (a lone surrogate such as \\uD800?); expected well-formed text");
            return null;
        }
    }

    private static EvalCase? ParseCase(string line, int lineNo, string file, List<string> errors)
    {
        string Where() => $"{file}:{lineNo}";
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: JsonProblem.Strict);
        }
        catch (JsonException ex)
        {
            var reason = JsonProblem.Reason(ex);
            errors.Add(JsonProblem.IsDuplicateKey(ex)
                ? $"{Where()}: a key appears twice ({reason}); expected each key once in an object"
                : $"{Where()}: not valid JSON at column {(ex.BytePositionInLine ?? 0) + 1} ({reason}); {CaseShape}");
            return null;
        }

        if (node is not JsonObject obj)
        {
            errors.Add($"{Where()}: a case must be a JSON object; {CaseShape}");
            return null;
        }

        var before = errors.Count;
        foreach (var key in obj.Select(kv => kv.Key))
        {
            if (key is not ("id" or "input" or "expect" or "tags" or "metadata"))
            {
                errors.Add($"{Where()}: unknown key '{key}'; expected only id, input, expect, tags, metadata{ClosestName.Suggestion(key, ["id", "input", "expect", "tags", "metadata"])}");
            }
        }

        var id = obj["id"] is JsonValue iv && iv.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
        if (id is null)
        {
            errors.Add(obj["id"] is { } given && given.GetValueKind() != JsonValueKind.String
                ? $"{Where()}: \"id\" is {given.ToJsonString()}, not a string; expected a unique string id such as \"refund-window\""
                : $"{Where()}: missing or empty \"id\"; expected a unique string id");
        }

        var messages = new List<ChatMessage>();
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["input"] is not JsonObject input)
        {
            errors.Add($"{Where()}: missing \"input\"; expected \"input\": {{\"messages\": [...], \"vars\": {{...}}}}");
        }
        else
        {
            CaseInputReader.Read(input, messages, vars, Where(), errors);
        }

        var expect = obj["expect"] switch
        {
            null => [],
            JsonObject e => CheckedExpect(e, Where(), errors),
            _ => Fail<JsonObject>(errors, $"{Where()}: \"expect\" must be an object; expected e.g. {{\"contains\": [\"30 days\"]}}") ?? [],
        };
        var tags = new List<string>();
        if (obj["tags"] is JsonArray ta)
        {
            foreach (var t in ta)
            {
                if (t is JsonValue tv && tv.TryGetValue<string>(out var tag))
                {
                    tags.Add(tag);
                }
                else
                {
                    errors.Add($"{Where()}: \"tags\" must hold strings; expected e.g. [\"refunds\"]");
                    break;
                }
            }
        }
        else if (obj["tags"] is not null)
        {
            errors.Add($"{Where()}: \"tags\" must be an array; expected e.g. [\"refunds\"]");
        }

        EmptyMessageCheck.Check(obj, Where(), errors);
        return errors.Count > before ? null : new EvalCase { Id = id!, Messages = messages, Vars = vars, Expect = expect, Tags = tags, Line = lineNo };
    }

    private static JsonObject CheckedExpect(JsonObject expect, string where, List<string> errors)
    {
        ExpectationShape.Check(expect, where, errors);
        return (JsonObject)expect.DeepClone();
    }

    private static T? Fail<T>(List<string> errors, string message)
        where T : class
    {
        errors.Add(message);
        return null;
    }
}
