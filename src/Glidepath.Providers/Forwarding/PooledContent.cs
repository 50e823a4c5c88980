using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// A provider's whole answer read into a <see cref="PooledBuffer"/> (in place of the <see cref="HttpContent"/> it came
/// in, whose headers it keeps): the pass-through path reads it as <see cref="Memory"/> without copying it into a new
/// array per answer. Disposing the response returns the buffer to the pool; reading it after that throws.
/// </summary>
internal sealed class PooledContent : HttpContent
{
    private PooledBuffer? _buffer;

    public PooledContent(PooledBuffer buffer, HttpContentHeaders headers)
    {
        _buffer = buffer;
        foreach (var (name, values) in headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledContent))).Memory;

    /// <summary>
    /// Reads <paramref name="response"/>'s body to its end into a pooled buffer and puts it in place of the content it
    /// came in (which is disposed: the connection goes back to the pool).
    /// </summary>
    public static async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content;
        var buffer = new PooledBuffer((int)Math.Min(content.Headers.ContentLength ?? 0, 1 << 20) + 4096);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await buffer.ReadAllAsync(stream, long.MaxValue, cancellationToken).ConfigureAwait(false);
            response.Content = new PooledContent(buffer, content.Headers);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        content.Dispose();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(Memory).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Memory, cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.Write(Memory.Span);

    protected override bool TryComputeLength(out long length)
    {
        length = Memory.Length;
        return true;
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        MemoryMarshal.TryGetArray(Memory, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : throw new InvalidOperationException("a pooled buffer is an array");

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(CreateContentReadStream(CancellationToken.None));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _buffer, null)?.Dispose();
        }

        base.Dispose(disposing);
    }
}
