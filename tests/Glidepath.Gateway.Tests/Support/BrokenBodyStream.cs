namespace Glidepath.Gateway.Tests.Support;

/// <summary>
/// A request body that gives its first bytes, then fails as a connection would: the exception <paramref name="then"/>
/// makes (a reset connection's IOException, the 408 Kestrel throws for a body that stopped coming).
/// </summary>
internal sealed class BrokenBodyStream(byte[] first, Func<Exception> then) : Stream
{
    private bool _sent;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_sent)
        {
            throw then();
        }

        _sent = true;
        var n = Math.Min(count, first.Length);
        Array.Copy(first, 0, buffer, offset, n);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
