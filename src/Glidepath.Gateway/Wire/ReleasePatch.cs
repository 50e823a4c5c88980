using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Glidepath.Manifests;
using Glidepath.Models;

namespace Glidepath.Gateway.Wire;

/// <summary>
/// What the pass-through body patch writes for one release in one wire format, rendered once: the model, the
/// parameters the release sets (they win, <see cref="ReleaseApplier.Parameters"/>) and its tools in that format.
/// </summary>
internal sealed class ReleasePatch
{
    private static readonly ConcurrentDictionary<(ReleaseApplier, bool), ReleasePatch> Cache = new();

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private ReleasePatch(ReleaseApplier applier, bool anthropic)
    {
        Applier = applier;
        Anthropic = anthropic;
        Model = applier.Snapshot.Model.Name;
        Parameters = applier.Parameters;
        Tools = [.. applier.Snapshot.Tools.Select(t => Render(t, anthropic))];
    }

    private EscapedPrompt? _prompt;

    public ReleaseApplier Applier { get; }

    public bool Anthropic { get; }

    public string Model { get; }

    public ModelParameters Parameters { get; }

    /// <summary>The release's tools, each one JSON value in the wire's shape.</summary>
    public byte[][] Tools { get; }

    /// <summary>
    /// Writes <paramref name="systemPrompt"/> as a JSON string value. The last prompt's escaped UTF-8 is kept, so a
    /// release whose prompt renders the same for each request (no request variables, or the same values) is escaped
    /// once, not per request: a multi-line prompt is escaped character by character, the largest single cost of the
    /// patch under load.
    /// </summary>
    public void WritePrompt(Utf8JsonWriter w, string systemPrompt)
    {
        var last = _prompt;
        if (last is null || !string.Equals(last.Text, systemPrompt, StringComparison.Ordinal))
        {
            var buffer = new ArrayBufferWriter<byte>(systemPrompt.Length + 16);
            using (var escape = new Utf8JsonWriter(buffer, WriterOptions))
            {
                escape.WriteStringValue(systemPrompt);
            }

            _prompt = last = new EscapedPrompt(systemPrompt, buffer.WrittenSpan.ToArray());
        }

        w.WriteRawValue(last.Json, skipInputValidation: true);
    }

    public static ReleasePatch For(ReleaseApplier applier, bool anthropic) =>
        Cache.TryGetValue((applier, anthropic), out var patch) ? patch : Cache.GetOrAdd((applier, anthropic), k => new ReleasePatch(k.Item1, k.Item2));

    /// <summary>
    /// Fields a caller may not send through to the provider, because they change what the operator pays or where data
    /// goes, which the release and the gateway's prices decide: OpenAI's <c>service_tier</c> (a priority tier the
    /// manifest's prices do not know), <c>store</c> (retention at the provider), <c>modalities</c>, <c>audio</c>,
    /// <c>prediction</c> and <c>web_search_options</c> (billed differently); Anthropic's <c>service_tier</c>,
    /// <c>mcp_servers</c> and <c>container</c> (servers and code the provider would reach). They are dropped, as the
    /// translating path drops every field it does not know.
    /// </summary>
    public bool Withheld(ReadOnlySpan<byte> name) => Anthropic
        ? name.SequenceEqual("service_tier"u8) || name.SequenceEqual("mcp_servers"u8) || name.SequenceEqual("container"u8)
        : name.SequenceEqual("service_tier"u8) || name.SequenceEqual("store"u8) || name.SequenceEqual("modalities"u8)
            || name.SequenceEqual("audio"u8) || name.SequenceEqual("prediction"u8) || name.SequenceEqual("web_search_options"u8);

    /// <summary>Whether the release sets the caller's parameter <paramref name="name"/> (so the caller's is dropped).</summary>
    public bool Overrides(ReadOnlySpan<byte> name)
    {
        var p = Parameters;
        return p.Temperature is not null && name.SequenceEqual("temperature"u8)
            || p.TopP is not null && name.SequenceEqual("top_p"u8)
            || p.Seed is not null && !Anthropic && name.SequenceEqual("seed"u8)
            || p.TopK is not null && Anthropic && name.SequenceEqual("top_k"u8)
            || p.Stop is { Count: > 0 } && name.SequenceEqual(Anthropic ? "stop_sequences"u8 : "stop"u8)
            || p.MaxTokens is not null && (name.SequenceEqual("max_tokens"u8) || !Anthropic && name.SequenceEqual("max_completion_tokens"u8));
    }

    /// <summary>Writes the parameters the release sets, in the wire's names (OpenAI has no top_k, Anthropic no seed: the translating clients drop them too).</summary>
    public void WriteParameters(Utf8JsonWriter w)
    {
        var p = Parameters;
        if (p.Temperature is { } t)
        {
            w.WriteNumber("temperature", t);
        }

        if (p.TopP is { } topP)
        {
            w.WriteNumber("top_p", topP);
        }

        if (p.TopK is { } topK && Anthropic)
        {
            w.WriteNumber("top_k", topK);
        }

        if (p.Seed is { } seed && !Anthropic)
        {
            w.WriteNumber("seed", seed);
        }

        if (p.MaxTokens is { } max)
        {
            w.WriteNumber(Anthropic ? "max_tokens" : "max_completion_tokens", max);
        }

        if (p.Stop is { Count: > 0 } stop)
        {
            w.WriteStartArray(Anthropic ? "stop_sequences" : "stop");
            foreach (var s in stop)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
        }
    }

    private static byte[] Render(ToolDefinition tool, bool anthropic)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (anthropic)
            {
                w.WriteString("name", tool.Name);
                w.WriteString("description", tool.Description);
                w.WritePropertyName("input_schema");
                tool.InputSchema.WriteTo(w);
            }
            else
            {
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", tool.Name);
                w.WriteString("description", tool.Description);
                w.WritePropertyName("parameters");
                tool.InputSchema.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A prompt and its JSON string value (quotes included), swapped whole so readers never see half of one.</summary>
    private sealed record EscapedPrompt(string Text, byte[] Json);
}
