namespace Glidepath.Evals.Datasets;

/// <summary>
/// Tells a dataset saved as UTF-16 or UTF-32 (an editor's "Unicode") at its first sign: a byte-order mark, or a NUL byte,
/// which UTF-8 JSON never holds. The file then gets one error naming the fix, not one per line (7 line errors of
/// "not valid UTF-8" and "not valid JSON at column 1 ('0x00' …)" for a 7-line file until 2026-12-06).
/// </summary>
internal static class TextEncodingCheck
{
    /// <summary>What is wrong with <paramref name="line"/> (the raw bytes of line <paramref name="lineNo"/>), or null when nothing of the kind.</summary>
    public static string? Problem(ReadOnlySpan<byte> line, int lineNo)
    {
        if (lineNo == 1)
        {
            if (line.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) || line.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            {
                return "the file is UTF-32 (it starts with a UTF-32 byte-order mark)";
            }

            if (line.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || line.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                return "the file is UTF-16 (it starts with a UTF-16 byte-order mark)";
            }
        }

        return line.Contains((byte)0)
            ? "a NUL byte, which a UTF-8 JSON Lines file never holds: the file is likely UTF-16 or UTF-32"
            : null;
    }
}
