using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Glidepath.Files;

/// <summary>
/// Reads a whole file only up to a limit. A size check alone trusts what the file system reports, and a pipe or a
/// device (<c>/dev/zero</c>, <c>&lt;(yes)</c>) reports 0 however much it yields: reading is what is bounded here. Opening
/// never waits: a named pipe (FIFO) that no process writes reads as empty instead of blocking the command for ever.
/// </summary>
internal static partial class BoundedFile
{
    // <fcntl.h> on Linux x86-64 and arm64.
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int GetFlags = 3;
    private const int SetFlags = 4;

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

    /// <summary>Opens a file to read without waiting on a named pipe that no process writes (it reads as empty).</summary>
    public static FileStream OpenRead(string path, int bufferSize = 4096)
    {
        // open(2) of a FIFO waits until some process opens it for writing, which may be never. On Linux it is opened
        // with O_NONBLOCK (no wait), which is then cleared so that reads wait for data as usual: a FIFO with no writer
        // reads as empty (end of file), a pipe that is being written (<(…)) reads as before, and a regular file is
        // unaffected. Elsewhere, or when the call is not there, the plain open.
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            try
            {
                var fd = OpenNative(path, ReadOnly | NonBlocking | CloseOnExec);
                if (fd >= 0)
                {
                    var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
                    var flags = Fcntl(fd, GetFlags, 0);
                    if (flags < 0 || Fcntl(fd, SetFlags, flags & ~NonBlocking) < 0)
                    {
                        handle.Dispose();
                        throw new IOException($"cannot read {path}: fcntl failed (errno {Marshal.GetLastPInvokeError()})");
                    }

                    return new FileStream(handle, FileAccess.Read, bufferSize);
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc as expected: the plain open below.
            }
        }

        // Also where the native open failed: this one throws the usual exception for a missing or unreadable file.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize, FileOptions.SequentialScan);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}
