using System.Buffers;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Server-sent events in a byte buffer, read by the WHATWG rules (the HTML standard's "parsing an event stream"): a line
/// ends with CRLF, LF or a bare CR; a blank line ends an event; its <c>data</c> lines are joined with LF. What is copied
/// to the caller stays byte for byte as the provider sent it.
/// </summary>
internal static class SseEvents
{
    private static ReadOnlySpan<byte> LineEnds => "\r\n"u8;

    /// <summary>
    /// Whether <paramref name="buffer"/>, a stream's beginning, holds the start of its first <c>data</c> line (the field
    /// name and its colon, or the name alone on its line): what comes before it is comments (<c>: keep-alive</c>), blank
    /// lines and other fields, which carry no answer. False while the buffer may still end inside what comes before it.
    /// Reads no further than that line's first five bytes; allocates nothing.
    /// </summary>
    public static bool HasData(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.IsNext("\uFEFF"u8, advancePast: true); // a byte-order mark at the stream's start is no part of a line
        while (!reader.End)
        {
            if (reader.IsNext("data:"u8) || (reader.IsNext("data"u8) && reader.TryPeek(4, out var end) && end is (byte)'\r' or (byte)'\n'))
            {
                return true;
            }

            if (!reader.TryAdvanceToAny(LineEnds, advancePastDelimiter: true))
            {
                return false; // a line not ended yet: more is needed to know what it is
            }
        }

        return false;
    }

    /// <summary>Takes the first complete event (with its closing blank line) off <paramref name="buffer"/>.</summary>
    /// <remarks>
    /// A blank line ending in a CR at the end of what arrived is taken at once (a stream of bare CRs must not wait for
    /// the next event); when that CR was the first half of a CRLF, the LF left over is a line of its own next time, an
    /// empty "event" that carries no data (the caller's parser reads it as the CRLF it was).
    /// </remarks>
    public static bool TryTake(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> evt)
    {
        var reader = new SequenceReader<byte>(buffer);
        var lineStart = 0L;
        while (reader.TryAdvanceToAny(LineEnds, advancePastDelimiter: false))
        {
            var blank = reader.Consumed == lineStart;
            reader.TryRead(out var end);
            if (end == (byte)'\r')
            {
                reader.IsNext((byte)'\n', advancePast: true); // CRLF: one line end
            }

            if (blank)
            {
                evt = buffer.Slice(0, reader.Position);
                buffer = buffer.Slice(reader.Position);
                return true;
            }

            lineStart = reader.Consumed;
        }

        evt = default;
        return false;
    }

    /// <summary>
    /// The event's data: the value of its one <c>data</c> line as it lies in the buffer, or, for an event of several
    /// <c>data</c> lines (rare), their values joined with LF in <paramref name="joined"/>. False when it has none (a
    /// comment, a ping).
    /// </summary>
    public static bool TryData(in ReadOnlySequence<byte> evt, ref byte[]? scratch, ref byte[]? joined, out ReadOnlySpan<byte> data)
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

        data = default;
        var found = 0;
        var written = 0;
        while (!span.IsEmpty)
        {
            var end = span.IndexOfAny(LineEnds);
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? default : span[(end + (span[end] == (byte)'\r' && end + 1 < span.Length && span[end + 1] == (byte)'\n' ? 2 : 1))..];
            if (Value(line) is not { } at)
            {
                continue;
            }

            var value = line[at..];
            if (++found == 1)
            {
                data = value;
                continue;
            }

            // A second data line: the data is the values joined with LF (copied, since they are apart in the event).
            if (found == 2)
            {
                written = Append(ref joined, 0, data);
            }

            written = Append(ref joined, written, "\n"u8);
            written = Append(ref joined, written, value);
            data = joined.AsSpan(0, written);
        }

        return found > 0;
    }

    /// <summary>Where a <c>data</c> line's value starts (after <c>data:</c> and one space, or at the end of a bare <c>data</c>); null for another line.</summary>
    private static int? Value(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("data"u8))
        {
            return null;
        }

        if (line.Length == 4)
        {
            return 4; // a field name alone: the value is empty
        }

        if (line[4] != (byte)':')
        {
            return null; // another field (e.g. "datax:")
        }

        return line.Length > 5 && line[5] == (byte)' ' ? 6 : 5;
    }

    private static int Append(ref byte[]? target, int at, ReadOnlySpan<byte> bytes)
    {
        if (target is null || target.Length < at + bytes.Length)
        {
            var grown = new byte[Math.Max(at + bytes.Length, Math.Max(4096, (target?.Length ?? 0) * 2))];
            target?.AsSpan(0, at).CopyTo(grown);
            target = grown;
        }

        bytes.CopyTo(target.AsSpan(at));
        return at + bytes.Length;
    }
}
