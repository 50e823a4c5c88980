using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Glidepath.Gateway.Wire;

/// <summary>Writes server-sent events (<c>event:</c> optional, one <c>data:</c> line of JSON, blank line).</summary>
internal static class Sse
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] End = "\n\n"u8.ToArray();

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes one event whose data is the JSON produced by <paramref name="body"/>.</summary>
    public static void Event<TState>(IBufferWriter<byte> output, string? eventName, TState state, Action<Utf8JsonWriter, TState> body)
    {
        if (eventName is not null)
        {
            output.Write(EventPrefix);
            Encoding.UTF8.GetBytes(eventName, output);
            output.Write("\n"u8);
        }

        output.Write(DataPrefix);
        var writer = t_writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(output);
        body(writer, state);
        writer.Flush();
        writer.Reset();
        output.Write(End);
    }

    /// <summary>Writes <c>data: [DONE]</c>, OpenAI's end-of-stream marker.</summary>
    public static void Done(IBufferWriter<byte> output)
    {
        output.Write("data: [DONE]\n\n"u8);
    }
}
