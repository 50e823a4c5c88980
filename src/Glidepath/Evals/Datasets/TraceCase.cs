using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Traces;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// Turns a captured production trace into a frozen eval case: its request messages (redacted again with the
/// current policy), the expectations given, and its provenance under <c>metadata</c>. Cases are identified by
/// the sha256 of their input messages, so the same request is never added twice.
/// </summary>
public static class TraceCase
{
    public const string Tag = "from-trace";

    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The environment's <paramref name="vars"/> that the prompt of the release that served the trace uses: the others
    /// never reached the request, and a case that set them would be warned about on every eval run and gate. That release,
    /// not the working tree: the case freezes what the trace was rendered with, and a variable only a later prompt uses
    /// is the environment's (or <c>--env</c>'s) to give. All of them when the release is not in the store (nothing to tell by).
    /// </summary>
    public static IReadOnlyDictionary<string, string> VarsUsedBy(Releases.Release? release, IReadOnlyDictionary<string, string> vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        if (release is null)
        {
            return vars;
        }

        var used = Models.PromptTemplate.Variables(release.Snapshot().SystemPrompt);
        return vars.Where(kv => used.Contains(kv.Key, StringComparer.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>The case as one JSON line (no newline).</summary>
    /// <param name="vars">The template vars the request was rendered with (<see cref="VarsUsedBy"/>).</param>
    public static JsonObject Build(TraceRecord trace, string releaseLabel, IReadOnlyDictionary<string, string> vars, IReadOnlyList<string> redact,
        IReadOnlyList<string> expectContains, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(trace);
        var messages = TraceContent.Messages(trace.InputJson)
            .Where(m => m.Role is "user" or "assistant" or "system")
            .Select(m => (m.Role, Content: ContentRedactor.Redact(m.Content, redact)))
            .ToList();
        if (messages.Count == 0)
        {
            throw new BadInputException(
                $"trace {trace.TraceId} has no captured request content, so it cannot become a case; pick a trace that has it " +
                "(with capture.content: sampled only the sampled traces keep their content), or set capture.content to sampled or all in glidepath.yaml " +
                "for traces to come (content of earlier traces is not recoverable)");
        }

        if (messages[^1].Role != "user")
        {
            throw new BadInputException($"trace {trace.TraceId} does not end with a user message; expected a conversation ending with the question");
        }

        var hash = InputSha256(messages);
        var input = new JsonObject
        {
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
        };
        if (vars.Count > 0)
        {
            var v = new JsonObject();
            foreach (var (name, value) in vars.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                v[name] = value;
            }

            input["vars"] = v;
        }

        var obj = new JsonObject
        {
            ["id"] = "trace-" + trace.TraceId[..Math.Min(12, trace.TraceId.Length)],
            ["input"] = input,
        };
        if (expectContains.Count > 0)
        {
            obj["expect"] = new JsonObject { ["contains"] = new JsonArray([.. expectContains.Select(c => (JsonNode)JsonValue.Create(c))]) };
        }

        obj["tags"] = new JsonArray(Tag);
        obj["metadata"] = new JsonObject
        {
            ["source"] = "trace",
            ["trace_id"] = trace.TraceId,
            ["environment"] = trace.Environment,
            ["release_id"] = trace.ReleaseId,
            ["release"] = releaseLabel,
            ["trace_started_at"] = trace.StartedAt.ToUniversalTime(),
            ["trace_status"] = trace.Status,
            ["added_at"] = now.ToUniversalTime(),
            ["input_sha256"] = hash,
        };
        return obj;
    }

    /// <summary>sha256 of the messages as canonical JSON ([{"content":…,"role":…}, …]): the dedup key.</summary>
    public static string InputSha256(IEnumerable<(string Role, string Content)> messages)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var (role, content) in messages)
            {
                w.WriteStartObject();
                w.WriteString("content", content);
                w.WriteString("role", role);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>The dedup key of a loaded case.</summary>
    public static string InputSha256(EvalCase evalCase)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        return InputSha256(evalCase.Messages.Select(m => (m.Role.Value, m.Text)));
    }

    /// <summary>The dataset text with <paramref name="caseLine"/> appended on its own line.</summary>
    public static string Append(string existing, JsonObject caseLine)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(caseLine);
        var sb = new StringBuilder(existing);
        if (sb.Length > 0 && sb[^1] != '\n')
        {
            sb.Append('\n');
        }

        sb.Append(Line(caseLine));
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The case as one line of JSON (no newline), its text written as it reads (only what JSON needs is escaped, line
    /// breaks included), as <see cref="Append"/> adds it to a dataset.
    /// </summary>
    public static string Line(JsonObject caseLine)
    {
        ArgumentNullException.ThrowIfNull(caseLine);
        return caseLine.ToJsonString(LineOptions);
    }
}
