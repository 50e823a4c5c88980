using System.Text;

namespace Glidepath.Cli;

/// <summary>
/// A write-only stream of UTF-8 bytes passed on to a <see cref="TextWriter"/> as they come, so a large JSON document
/// (a gate report with every case) goes to stdout in chunks rather than as one string. A character split across two
/// writes is decoded whole (the decoder keeps the partial bytes).
/// </summary>
internal sealed class TextWriterStream(TextWriter output) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private char[] _chars = [];

    /// <summary>Whether any text has been passed on yet.</summary>
    public bool Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // At most one char per byte, plus what the decoder held back from the last write.
        if (_chars.Length < buffer.Length + 2)
        {
            _chars = new char[Math.Max(buffer.Length + 2, 2 * _chars.Length)];
        }

        var written = _decoder.GetChars(buffer, _chars, flush: false);
        output.Write(_chars, 0, written);
        Written |= written > 0;
    }

    public override void Flush() => output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
