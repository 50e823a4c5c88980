using System.Text.Json;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Reads what the trace needs from a provider's answer while it is copied to the caller: usage, finish reason, the
/// first token and (only when kept) the text. One pass of <see cref="Utf8JsonReader"/> per body or event; nothing
/// is built. A body that is not JSON throws <see cref="JsonException"/> (a malformed answer).
/// </summary>
internal abstract class ResponseTap
{
    /// <summary>Property names the tap looks for, as small codes by depth (0: any other name).</summary>
    protected readonly int[] Path = new int[16];

    /// <summary>Reads a whole (non-streamed) answer.</summary>
    public abstract void Body(ReadOnlySpan<byte> json, ForwardExchange exchange);

    /// <summary>Reads one streamed event's data; false when the event is not for the caller (it is dropped).</summary>
    public abstract bool Event(ReadOnlySpan<byte> data, ForwardExchange exchange);

    /// <summary>Remembers the code of a property name at its depth (deeper names are overwritten as they come).</summary>
    protected void Name(ref Utf8JsonReader reader, byte[][] names)
    {
        var depth = reader.CurrentDepth;
        if (depth >= Path.Length)
        {
            return;
        }

        Path[depth] = 0;
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                Path[depth] = i + 1;
                return;
            }
        }
    }

    protected bool At(int depth, int code) => depth < Path.Length && Path[depth] == code;

    protected static void Append(ref Utf8JsonReader reader, ForwardExchange exchange)
    {
        if (reader.ValueSpan.Length == 0)
        {
            return;
        }

        exchange.SawToken();
        exchange.Text?.Append(reader.GetString());
    }
}
