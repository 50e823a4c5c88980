namespace Glidepath.Files;

/// <summary>
/// Reads a whole file only up to a limit. A size check alone trusts what the file system reports, and a pipe or a
/// device (<c>/dev/zero</c>, <c>&lt;(yes)</c>) reports 0 however much it yields: reading is what is bounded here. Opening
/// never waits on a named pipe (FIFO) on Linux: one that no process writes reads as empty (<see cref="NonBlockingOpen"/>).
/// </summary>
public static class BoundedFile
{
    /// <summary>The file's bytes, or null when it holds more than <paramref name="maxBytes"/> (reading stops there).</summary>
    public static byte[]? ReadAllBytes(string path, int maxBytes)
    {
        var reported = new FileInfo(path).Length;
        if (reported > maxBytes)
        {
            return null;
        }

        using var stream = OpenRead(path, bufferSize: 1);
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

    /// <summary>The file's text as <see cref="File.ReadAllText(string)"/> decodes it (UTF-8, or what a byte-order mark says), or null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static string? ReadAllText(string path, int maxBytes)
    {
        if (ReadAllBytes(path, maxBytes) is not { } bytes)
        {
            return null;
        }

        // As File.ReadAllText decodes: UTF-8 unless a byte-order mark says UTF-16 or UTF-32.
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Opens a file to read without waiting on a named pipe that no process writes (<see cref="NonBlockingOpen"/>).</summary>
    public static FileStream OpenRead(string path, int bufferSize = 4096) => NonBlockingOpen.Read(path, bufferSize);

    /// <summary>Whether the existing <paramref name="path"/> cannot seek (a FIFO, socket, pipe or terminal): read it, but do not write through it.</summary>
    public static bool IsStream(string path) => NonBlockingOpen.IsStream(path);

    /// <summary>Throws the usual exception when the existing file may not be opened for writing; writes nothing and never waits on a FIFO.</summary>
    public static void ProbeWrite(string path) => NonBlockingOpen.ProbeWrite(path);
}
