using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Caching;

/// <summary>
/// sha256 of (provider, endpoint, model, parameters, provider options, messages, tools, trial index, and the
/// <see cref="ModelClientOptions.CacheScope"/> when there is one), computed over canonical JSON. Never includes an API key.
/// </summary>
/// <remarks>
/// Written in one pass with a <see cref="Utf8JsonWriter"/> into a pooled buffer, with each tool's JSON kept per
/// tool object, so the eval runner does not build a JSON tree and re-serialize every tool schema per call. The
/// bytes are the ones the earlier JsonObject-tree version hashed (ResponseCacheKeyTests holds its digests), so
/// existing caches stay valid.
/// </remarks>
internal static class ResponseCacheKey
{
    private static readonly ConditionalWeakTable<AITool, byte[]> ToolJson = [];

    /// <summary>
    /// A release's rendered system prompt is the same for many calls (one per set of prompt variables): its message's
    /// JSON is kept by content, up to <see cref="MaxSystemPrompts"/> prompts, instead of serialized on every call.
    /// </summary>
    private static readonly ConcurrentDictionary<string, byte[]> SystemMessages = new(StringComparer.Ordinal);

    private const int MaxSystemPrompts = 256;

    /// <summary>The serializer's metadata for a message, built on first use only: it costs a process ~0.15 s (<see cref="WritePlain"/>).</summary>
    private static JsonTypeInfo MessageInfo => field ??= AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage));

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <param name="scope">What the call is made for (<see cref="ModelClientOptions.CacheScope"/>); null writes nothing, so a
    /// release's keys are the bytes they always were.</param>
    public static string Compute(string provider, string? baseUrl, ModelSpec model, IEnumerable<ChatMessage> messages, ChatOptions? options, int trialIndex, string? scope = null)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            // Version 2 on Anthropic: answers cached before its sampling parameters were sent (the SDK's chat client
            // dropped them) were sampled at the provider's default, so they must not answer a request that now sends them.
            w.WriteNumber("v", provider == ProviderNames.Anthropic ? 2 : 1);
            w.WriteString("provider", provider);
            w.WriteString("base_url", baseUrl);
            w.WriteString("model", options?.ModelId ?? model.Name);
            w.WriteStartObject("parameters");
            Number(w, "temperature", options?.Temperature);
            Number(w, "max_tokens", options?.MaxOutputTokens);
            Number(w, "top_p", options?.TopP);
            Number(w, "top_k", options?.TopK);
            Number(w, "seed", options?.Seed);
            if (options?.StopSequences is { } stop)
            {
                w.WriteStartArray("stop");
                foreach (var s in stop)
                {
                    w.WriteStringValue(s);
                }

                w.WriteEndArray();
            }
            else
            {
                w.WriteNull("stop");
            }

            w.WriteString("tool_mode", options?.ToolMode?.ToString());
            w.WriteEndObject();

            w.WriteStartObject("options");
            foreach (var (key, value) in model.Options.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                if (value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    value.WriteTo(w);
                }
            }

            w.WriteEndObject();
            w.WriteStartArray("messages");
            foreach (var message in messages)
            {
                if (PlainSystemText(message) is { } system)
                {
                    w.WriteRawValue(SystemJson(system), skipInputValidation: true);
                }
                else if (!IsPlain(message))
                {
                    JsonSerializer.Serialize(w, message, MessageInfo);
                }
                else
                {
                    WritePlain(w, message);
                }
            }

            w.WriteEndArray();
            w.WriteStartArray("tools");
            foreach (var tool in options?.Tools ?? [])
            {
                w.WriteRawValue(ToolJson.GetValue(tool, Tool), skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteNumber("trial", trialIndex);
            if (scope is not null)
            {
                w.WriteString("scope", scope);
            }

            w.WriteEndObject();
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        if (buffer.Capacity > 1 << 20)
        {
            _buffer = null; // one huge prompt does not pin a megabyte per thread
        }

        return Convert.ToHexStringLower(hash);
    }

    private static void Number(Utf8JsonWriter w, string name, float? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>The text of a plain system message with one text.</summary>
    private static string? PlainSystemText(ChatMessage message) =>
        message.Role == ChatRole.System && message.Contents is [TextContent text] && IsPlain(message) ? text.Text : null;

    /// <summary>A message of texts and nothing else: no author, id, time, annotations or extra properties.</summary>
    internal static bool IsPlain(ChatMessage message)
    {
        if (message.AuthorName is not null || message.MessageId is not null || message.CreatedAt is not null || message.AdditionalProperties is not null)
        {
            return false;
        }

        foreach (var content in message.Contents)
        {
            if (content.GetType() != typeof(TextContent) || content.Annotations is not null || content.AdditionalProperties is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A plain message's JSON (<see cref="IsPlain"/>) as the serializer writes it with <c>AIJsonUtilities.DefaultOptions</c>
    /// into the key's writer (whose encoder it uses), without the serializer's metadata (ResponseCacheKeyTests).
    /// </summary>
    internal static void WritePlain(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartObject();
        w.WriteString("role", message.Role.Value);
        w.WriteStartArray("contents");
        foreach (var content in message.Contents)
        {
            w.WriteStartObject();
            w.WriteString("$type", "text");
            w.WriteString("text", ((TextContent)content).Text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The JSON of <c>new ChatMessage(ChatRole.System, text)</c>, as the serializer writes it inside the key.</summary>
    private static byte[] SystemJson(string text)
    {
        if (SystemMessages.TryGetValue(text, out var json))
        {
            return json;
        }

        var buffer = new ArrayBufferWriter<byte>(text.Length + 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WritePlain(w, new ChatMessage(ChatRole.System, text));
        }

        json = buffer.WrittenSpan.ToArray();
        if (SystemMessages.Count < MaxSystemPrompts)
        {
            SystemMessages.TryAdd(text, json);
        }

        return json;
    }

    private static byte[] Tool(AITool tool)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", tool is AIFunctionDeclaration f ? f.Name : tool.Name);
            w.WriteString("description", tool is AIFunctionDeclaration d ? d.Description : tool.Description);
            if (tool is AIFunctionDeclaration s)
            {
                w.WritePropertyName("schema");
                s.JsonSchema.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
