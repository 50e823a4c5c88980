using System.Text.Json;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// The manifest's <c>capture:</c> policy: whether a trace keeps message content (none, sampled at the online
/// sample rate, all) and which personal data is redacted before it is queued.
/// </summary>
internal sealed class ContentCapture(CaptureConfig config, double sampleRate)
{
    public bool ShouldCapture(string traceId) => config.Content switch
    {
        "all" => true,
        "sampled" => TraceSampling.Sampled(traceId, sampleRate),
        _ => false,
    };

    /// <summary>
    /// Escapes what JSON needs (quote, backslash, control characters) and little else: the default encoder writes every
    /// non-ASCII character and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c>, <c>+</c> as <c>\uXXXX</c>, up to six times the
    /// text in memory, in the store and in the capture budget. A lone surrogate is written as U+FFFD; characters outside the
    /// Basic Multilingual Plane (emoji) stay escaped. Every reader parses the JSON; the dashboard HTML-encodes what it shows.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static (System.Buffers.ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_writer;

    public string InputJson(IReadOnlyList<ChatMessage> messages)
    {
        // One buffer and writer per thread, reset per use: a sampled request's capture allocates only its string.
        var (buffer, w) = t_writer ??= (new System.Buffers.ArrayBufferWriter<byte>(1024), new Utf8JsonWriter(System.IO.Stream.Null, WriterOptions));
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        w.WriteStartArray();
        foreach (var m in messages)
        {
            w.WriteStartObject();
            w.WriteString("role", m.Role.Value);
            w.WriteString("content", Glidepath.Traces.ContentRedactor.Redact(m.Text, config.Redact));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.Flush();
        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            t_writer = null; // a rare long conversation's buffer is not kept for the thread's lifetime
        }

        return json;
    }

    public string Output(string text) => Glidepath.Traces.ContentRedactor.Redact(text, config.Redact);
}
