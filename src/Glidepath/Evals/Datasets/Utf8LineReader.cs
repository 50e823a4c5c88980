namespace Glidepath.Evals.Datasets;

/// <summary>
/// Splits a byte stream into lines before decoding, so a bad byte is reported on its own line (a
/// decoding reader fails on the buffer, not the line) and one line cannot grow without bound.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>One line without its terminator; <paramref name="TooLong"/> when it exceeded the limit (its bytes are dropped, and the reader ends there).</summary>
    public readonly record struct Line(ReadOnlyMemory<byte> Bytes, bool TooLong);

    /// <summary>The next line, or null at the end of the stream.</summary>
    public async ValueTask<Line?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.SetLength(0);
        var any = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_eof)
                {
                    return any ? Finish(tooLong: false) : null;
                }

                _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _start = 0;
                _eof = _end == 0;
                continue;
            }

            any = true;
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (_line.Length + (stop - _start) > maxLineBytes)
            {
                // Returned at once, not read on to the line's end: a stream with no line break (/dev/zero) never ends.
                // The reader is done with the stream after this: the caller stops at an over-long line.
                _line.SetLength(0);
                (_start, _end, _eof) = (0, 0, true);
                return Finish(tooLong: true);
            }

            _line.Write(_buffer, _start, stop - _start);

            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Finish(tooLong: false);
            }
        }
    }

    private Line Finish(bool tooLong)
    {
        var bytes = _line.GetBuffer().AsMemory(0, (int)_line.Length);
        if (bytes.Length > 0 && bytes.Span[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        return new Line(bytes, tooLong);
    }
}
