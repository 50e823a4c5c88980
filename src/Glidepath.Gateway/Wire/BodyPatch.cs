using System.Buffers;
using System.Text.Json;

namespace Glidepath.Gateway.Wire;

/// <summary>
/// The pass-through path's release application, in one pass over the caller's own body (<see cref="Utf8JsonReader"/>
/// in, <see cref="Utf8JsonWriter"/> out): the release's system prompt first (OpenAI: a first <c>system</c> message;
/// Anthropic: the first <c>system</c> block), its model and the parameters it sets over the caller's, its tools first
/// with a caller's tool of the same name dropped, and the fields that change cost or data retention dropped
/// (<see cref="ReleasePatch.Withheld"/>). A caller's null for a key the patch writes is left out
/// (<see cref="NullIsAbsent"/>), an empty Anthropic system string too, and, when the parser found one (a rare shape), an
/// Anthropic text block with no text (<see cref="EmptyTextBlocks"/>) and a message left with no content by it. Everything
/// else the caller sent is copied byte for byte. The body
/// was already read and checked by the wire parser, so it is well-formed JSON.
/// </summary>
internal static class BodyPatch
{
    /// <summary>Anthropic requires <c>max_tokens</c>: the translating client's default when neither release nor caller set it.</summary>
    private const int AnthropicDefaultMaxTokens = 1024;

    /// <param name="dropEmptyText">The parser found an empty text block in an Anthropic body (<c>ChatRequest.HasEmptyText</c>): the
    /// <c>system</c> and <c>messages</c> arrays are rewritten without them; otherwise they are copied as they came.</param>
    public static void Write(ReadOnlySpan<byte> body, ReleasePatch patch, string systemPrompt, bool stream, IBufferWriter<byte> output, bool dropEmptyText = false)
    {
        var anthropic = patch.Anthropic;
        var reader = new Utf8JsonReader(body);
        reader.Read();
        using var w = new Utf8JsonWriter(output, ReleasePatch.WriterOptions);
        w.WriteStartObject();
        bool sawTools = false, sawSystem = false, sawMaxTokens = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var escaped = reader.ValueIsEscaped;
            var name = escaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var value = body[start..(int)reader.BytesConsumed];
            if (name.SequenceEqual("model"u8) || patch.Overrides(name) || patch.Withheld(name) || !anthropic && stream && name.SequenceEqual("stream_options"u8)
                || value[0] == (byte)'n' && NullIsAbsent(name))
            {
                continue;
            }

            if (!anthropic && name.SequenceEqual("messages"u8))
            {
                w.WriteStartArray("messages");
                w.WriteStartObject();
                w.WriteString("role", "system");
                w.WritePropertyName("content");
                patch.WritePrompt(w, systemPrompt);
                w.WriteEndObject();
                CopyElements(value, w, null);
                w.WriteEndArray();
            }
            else if (anthropic && name.SequenceEqual("system"u8))
            {
                sawSystem = true;
                WriteSystem(w, patch, systemPrompt, value, dropEmptyText);
            }
            else if (anthropic && dropEmptyText && name.SequenceEqual("messages"u8) && value[0] == (byte)'[')
            {
                EmptyTextBlocks.WriteMessages(w, value);
            }
            else if (name.SequenceEqual("tools"u8))
            {
                // Never copied as it came and then written again: an array is merged, anything else (the parser refuses
                // all but null, dropped above) is dropped.
                if (value[0] != (byte)'[')
                {
                    continue;
                }

                sawTools = true;
                w.WriteStartArray("tools");
                WriteReleaseTools(w, patch);
                CopyElements(value, w, patch);
                w.WriteEndArray();
            }
            else
            {
                sawMaxTokens |= name.SequenceEqual("max_tokens"u8);
                w.WritePropertyName(name);
                w.WriteRawValue(value, skipInputValidation: true);
            }
        }

        w.WriteString("model", patch.Model);
        patch.WriteParameters(w);
        if (!sawTools && patch.Tools.Length > 0)
        {
            w.WriteStartArray("tools");
            WriteReleaseTools(w, patch);
            w.WriteEndArray();
        }

        if (anthropic && !sawSystem)
        {
            WriteSystem(w, patch, systemPrompt, default, dropEmptyText: false);
        }

        if (anthropic && patch.Parameters.MaxTokens is null && !sawMaxTokens)
        {
            w.WriteNumber("max_tokens", AnthropicDefaultMaxTokens);
        }

        if (!anthropic && stream)
        {
            // Always asked, so the trace has the usage; the caller gets the usage chunk only if it asked (the tap drops it otherwise).
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// A caller's <c>null</c> for a key the patch writes or the gateway reads is the key left out, so it is not copied:
    /// the patch then writes what it writes when the key is absent (the release's tools, Anthropic's default
    /// <c>max_tokens</c>), and the provider never sees the key twice or a null where it wants a value (until
    /// 2026-12-05 <c>"tools": null</c> went up followed by a second <c>tools</c>, and <c>"max_tokens": null</c> as null).
    /// </summary>
    private static bool NullIsAbsent(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("tools"u8) || name.SequenceEqual("tool_choice"u8) || name.SequenceEqual("system"u8)
        || name.SequenceEqual("max_tokens"u8) || name.SequenceEqual("max_completion_tokens"u8)
        || name.SequenceEqual("temperature"u8) || name.SequenceEqual("top_p"u8) || name.SequenceEqual("top_k"u8) || name.SequenceEqual("seed"u8)
        || name.SequenceEqual("stop"u8) || name.SequenceEqual("stop_sequences"u8) || name.SequenceEqual("stream_options"u8)
        || name.SequenceEqual("functions"u8) || name.SequenceEqual("function_call"u8) || name.SequenceEqual("parallel_tool_calls"u8);

    /// <summary>Anthropic's system: the release's block, then the caller's (a string becomes one text block, none when
    /// empty: Anthropic refuses an empty text block; blocks are copied).</summary>
    private static void WriteSystem(Utf8JsonWriter w, ReleasePatch patch, string systemPrompt, ReadOnlySpan<byte> caller, bool dropEmptyText)
    {
        w.WriteStartArray("system");
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WritePropertyName("text");
        patch.WritePrompt(w, systemPrompt);
        w.WriteEndObject();
        if (caller.Length > 2 && caller[0] == (byte)'"')
        {
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WritePropertyName("text");
            w.WriteRawValue(caller, skipInputValidation: true);
            w.WriteEndObject();
        }
        else if (!caller.IsEmpty && caller[0] == (byte)'[')
        {
            if (dropEmptyText)
            {
                EmptyTextBlocks.CopyElements(caller, w);
            }
            else
            {
                CopyElements(caller, w, null);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteReleaseTools(Utf8JsonWriter w, ReleasePatch patch)
    {
        foreach (var tool in patch.Tools)
        {
            w.WriteRawValue(tool, skipInputValidation: true);
        }
    }

    /// <summary>Copies an array's elements; with <paramref name="tools"/>, a tool the release declares too is dropped.</summary>
    private static void CopyElements(ReadOnlySpan<byte> array, Utf8JsonWriter w, ReleasePatch? tools)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var element = array[start..(int)reader.BytesConsumed];
            if (tools is not null && ToolName(element) is { } name && tools.Applier.Declares(name))
            {
                continue;
            }

            w.WriteRawValue(element, skipInputValidation: true);
        }
    }

    /// <summary>A tool's name: <c>function.name</c> (OpenAI) or <c>name</c> (Anthropic, or OpenAI's flat shape).</summary>
    private static string? ToolName(ReadOnlySpan<byte> tool)
    {
        var reader = new Utf8JsonReader(tool);
        string? flat = null;
        var inFunction = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var depth = reader.CurrentDepth;
            if (depth == 1)
            {
                inFunction = reader.ValueTextEquals("function"u8);
                if (reader.ValueTextEquals("name"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    flat = reader.GetString();
                }
            }
            else if (depth == 2 && inFunction && reader.ValueTextEquals("name"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }
        }

        return flat;
    }
}
