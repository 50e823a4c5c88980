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

    public string InputJson(IReadOnlyList<ChatMessage> messages)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var m in messages)
            {
                w.WriteStartObject();
                w.WriteString("role", m.Role.Value);
                w.WriteString("content", Glidepath.Traces.ContentRedactor.Redact(m.Text, config.Redact));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public string Output(string text) => Glidepath.Traces.ContentRedactor.Redact(text, config.Redact);
}
