using System.Buffers;

namespace Glidepath.Providers.Forwarding;

/// <summary>Server-sent events in a byte buffer: where one ends (a blank line) and what its <c>data:</c> line holds.</summary>
internal static class SseEvents
{
    /// <summary>Takes the first complete event (with its closing blank line) off <paramref name="buffer"/>.</summary>
    public static bool TryTake(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> evt)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
        {
            // A blank line: "\n\n" or "\r\n\r\n" (the line before ended, this one is empty).
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                evt = buffer.Slice(0, reader.Position);
                buffer = buffer.Slice(reader.Position);
                return true;
            }
        }

        evt = default;
        return false;
    }

    /// <summary>The payload of the event's first <c>data:</c> line; false when it has none (a comment, a ping).</summary>
    public static bool TryData(in ReadOnlySequence<byte> evt, ref byte[]? scratch, out ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> span;
        if (evt.IsSingleSegment)
        {
            span = evt.FirstSpan;
        }
        else
        {
            var length = (int)evt.Length;
            if (scratch is null || scratch.Length < length)
            {
                scratch = new byte[Math.Max(length, 4096)];
            }

            evt.CopyTo(scratch);
            span = scratch.AsSpan(0, length);
        }

        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            if (line.StartsWith("data:"u8))
            {
                line = line[5..];
                if (!line.IsEmpty && line[0] == (byte)' ')
                {
                    line = line[1..];
                }

                data = line.TrimEnd((byte)'\r');
                return true;
            }

            span = end < 0 ? default : span[(end + 1)..];
        }

        data = default;
        return false;
    }
}
