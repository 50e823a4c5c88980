namespace Glidepath.Evals.Datasets;

/// <summary>
/// Splits a byte stream into lines before decoding, so a bad byte is reported on its own line (a
/// decoding reader fails on the buffer, not the line) and one line cannot grow without bound.
/// </summary>
/// <param name="maxSkipBytes">
/// How far past the limit an over-long line is read (and dropped, never held) to find its line break, so the lines after
/// it are still read; a line longer than that ends the reading (a stream without line breaks, such as <c>/dev/zero</c>,
/// would otherwise be read for ever).
/// </param>
internal sealed class Utf8LineReader(Stream stream, int maxLineBytes, long maxSkipBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>
    /// One line without its terminator; <paramref name="TooLong"/> when it exceeded the limit (its bytes are dropped);
    /// <paramref name="RestUnread"/> when no line break came within the skip limit either, and the reader ends there.
    /// </summary>
    public readonly record struct Line(ReadOnlyMemory<byte> Bytes, bool TooLong, bool RestUnread = false);

    /// <summary>The next line, or null at the end of the stream.</summary>
    public async ValueTask<Line?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.SetLength(0);
        var any = false;
        while (true)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return any ? Finish(tooLong: false) : null;
            }

            any = true;
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (_line.Length + (stop - _start) > maxLineBytes)
            {
                // Dropped, and read on only to the line's break, within a bound: the next line is read as usual.
                var skipped = _line.Length;
                _line.SetLength(0);
                return await SkipLineAsync(skipped, cancellationToken).ConfigureAwait(false);
            }

            _line.Write(_buffer, _start, stop - _start);

            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Finish(tooLong: false);
            }
        }
    }

    // Reads past the rest of an over-long line (from _start) without keeping it: its line break found, the reader goes on
    // after it; none within maxSkipBytes, it stops (the rest of the stream is not read).
    private async ValueTask<Line?> SkipLineAsync(long skipped, CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                _start = newline + 1;
                return new Line(default, TooLong: true);
            }

            skipped += _end - _start;
            _start = _end;
            if (skipped > maxSkipBytes)
            {
                (_start, _end, _eof) = (0, 0, true);
                return new Line(default, TooLong: true, RestUnread: true);
            }
        }

        return new Line(default, TooLong: true); // the last line, without a line break
    }

    // Whether bytes are buffered from _start (reading more when none are left); false at the end of the stream.
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        while (_start == _end)
        {
            if (_eof)
            {
                return false;
            }

            _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            _start = 0;
            _eof = _end == 0;
        }

        return true;
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
