using System.Buffers;
using System.Text.Json;
using Glidepath.Providers.Forwarding;

namespace Glidepath.Providers.Http;

/// <summary>
/// A provider's server-sent events as its SDK reads them, unchanged, that end (a read returns 0) once the answer is
/// complete by the rule the pass-through copy applies (<see cref="ResponseTap"/>): after the stream's last event
/// (<see cref="TappedEvent.Last"/>), or when nothing but that event is left to come (<see cref="ResponseTap.Answered"/>)
/// and no part of another event is waiting. Not thread-safe (one reader).
/// </summary>
internal sealed class EndingEventStream(Stream inner, ResponseTap tap) : Stream
{
    private readonly ForwardExchange _exchange = new(stream: true, keepText: false, callerWantsUsage: true);

    /// <summary>Bytes of an event not complete yet (its end is in a later read).</summary>
    private byte[] _pending = [];
    private int _count;
    private byte[]? _scratch;
    private byte[]? _joined;
    private bool _ended;

    /// <summary>Set when an event is not JSON (or holds a number out of range): the rest is passed on unread, and the SDK reports it in its own words.</summary>
    private bool _unread;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Scan(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        if (_ended)
        {
            return 0;
        }

        var read = inner.Read(buffer);
        Scan(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Taps the events <paramref name="read"/> completes; the stream ends after this read when the answer is.</summary>
    private void Scan(ReadOnlySpan<byte> read)
    {
        if (_unread || read.IsEmpty)
        {
            return;
        }

        if (_pending.Length < _count + read.Length)
        {
            Array.Resize(ref _pending, Math.Max(_count + read.Length, Math.Max(4096, _pending.Length * 2)));
        }

        read.CopyTo(_pending.AsSpan(_count));
        _count += read.Length;
        var events = new ReadOnlySequence<byte>(_pending, 0, _count);
        try
        {
            while (SseEvents.TryTake(ref events, out var evt))
            {
                if (SseEvents.TryData(evt, ref _scratch, ref _joined, out var data) && tap.Event(data, _exchange) == TappedEvent.Last)
                {
                    _ended = true;
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            _unread = true;
            return;
        }

        var left = (int)events.Length;
        _pending.AsSpan(_count - left, left).CopyTo(_pending);
        _count = left;
        _ended = left == 0 && tap.Answered(_exchange);
    }
}
