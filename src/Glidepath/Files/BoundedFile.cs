namespace Glidepath.Files;

/// <summary>
/// Reads a whole file only up to a limit. A size check alone trusts what the file system reports, and a pipe or a
/// device (<c>/dev/zero</c>, <c>&lt;(yes)</c>) reports 0 however much it yields: reading is what is bounded here.
/// </summary>
internal static class BoundedFile
{
    /// <summary>The file's bytes, or null when it holds more than <paramref name="maxBytes"/> (reading stops there).</summary>
    public static byte[]? ReadAllBytes(string path, int maxBytes)
    {
        var reported = new FileInfo(path).Length;
        if (reported > maxBytes)
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[(int)Math.Min(maxBytes + 1L, Math.Max(reported, 4096) + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return length == buffer.Length ? buffer : buffer[..length];
            }

            length += read;
        }
    }
}
