using System.Buffers;
using System.Text;
using Glidepath.Providers.Forwarding;

namespace Glidepath.Providers.Tests.Wire;

/// <summary>
/// The pass-through's event reader against the WHATWG rules: CRLF, LF and bare-CR line ends, several data lines joined
/// with LF, comments and other fields; the stream cut into reads at every byte. Every byte is taken once, in order.
/// </summary>
public sealed class SseEventsTests
{
    public static TheoryData<string, string[]> Streams() => new()
    {
        { "data: {\"a\":1}\n\ndata: [DONE]\n\n", ["{\"a\":1}", "[DONE]"] },
        { "data: {\"a\":1}\r\n\r\ndata:[DONE]\r\n\r\n", ["{\"a\":1}", "[DONE]"] },
        { "data: {\"a\":1}\r\rdata: [DONE]\r\r", ["{\"a\":1}", "[DONE]"] },
        { "event: x\rdata: {\"a\":\rdata: 1}\r\r: ping\r\rdata: [DONE]\r\r", ["{\"a\":\n1}", "[DONE]"] },
        { "event: x\r\ndata: {\"a\":\r\ndata:1,\r\ndata\r\ndata: \"b\":2}\r\n\r\n", ["{\"a\":\n1,\n\n\"b\":2}"] },
        { "id: 1\ndatax: no\ndata: {\"a\":1}\nretry: 5\n\n", ["{\"a\":1}"] },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void TryTakeTryData_AnyReadBoundaries_SameDataEveryByteCopiedOnce(string stream, string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var (data, copied) = Read(bytes, [split, bytes.Length - split]);
            Assert.Equal(expected, data);
            Assert.Equal(stream, copied);
        }

        var (oneByOne, all) = Read(bytes, [.. Enumerable.Repeat(1, bytes.Length)]);
        Assert.Equal(expected, oneByOne);
        Assert.Equal(stream, all);
    }

    // What the retry handler waits for before a stream counts as begun: its first data line, past comments (a server's
    // ": keep-alive" sent at once), blank lines and other fields; never a line it cannot yet tell from one.
    [Theory]
    [InlineData("data: {\"a\":1}\n\n", true)]
    [InlineData("data:", true)]
    [InlineData("data\n\n", true)]
    [InlineData("\uFEFFdata: 1", true)]
    [InlineData(": keep-alive\n\ndata: 1", true)]
    [InlineData(": a\r\r\r\ndata: 1", true)]
    [InlineData("event: message_start\ndata: {", true)]
    [InlineData("", false)]
    [InlineData("dat", false)]
    [InlineData("data", false)]
    [InlineData(": keep-alive\n\n", false)]
    [InlineData(": keep-alive", false)]
    [InlineData(": data: 1\n", false)]
    [InlineData("\r\n\r\n", false)]
    [InlineData("event: message_start\n", false)]
    [InlineData("datax: 1\n\n", false)]
    [InlineData(" data: 1\n\n", false)]
    public void HasData_StreamBeginning_TrueOnlyOnceItsFirstDataLineHasBegun(string begun, bool expected)
    {
        var bytes = Encoding.UTF8.GetBytes(begun);

        Assert.Equal(expected, SseEvents.HasData(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(expected, SseEvents.HasData(Segmented(bytes)));
    }

    /// <summary>Reads <paramref name="bytes"/> arriving in reads of the given sizes, as the copy loop does (a read is kept until its event completes).</summary>
    private static (List<string> Data, string Copied) Read(byte[] bytes, int[] reads)
    {
        var data = new List<string>();
        var copied = new StringBuilder();
        byte[]? scratch = null, joined = null;
        var pending = Array.Empty<byte>();
        var at = 0;
        foreach (var size in reads)
        {
            pending = [.. pending, .. bytes.AsSpan(at, size)];
            at += size;
            var buffer = Segmented(pending);
            while (SseEvents.TryTake(ref buffer, out var evt))
            {
                copied.Append(Encoding.UTF8.GetString(evt.ToArray()));
                if (SseEvents.TryData(evt, ref scratch, ref joined, out var payload))
                {
                    data.Add(Encoding.UTF8.GetString(payload));
                }
            }

            pending = buffer.ToArray();
        }

        copied.Append(Encoding.UTF8.GetString(pending)); // the copy loop forwards what is left when the stream ends
        return (data, copied.ToString());
    }

    /// <summary>The bytes as a sequence of one-byte segments, so events and lines cross segment boundaries.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes)
    {
        if (bytes.Length < 2)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
