using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Glidepath.Files;

/// <summary>
/// Opens files without waiting on a named pipe (FIFO). open(2) of a FIFO waits until another process opens its other
/// end, which may be never: a FIFO put where a manifest, a release file, a dataset or an output file is expected would
/// hang the command (or a CI gate) for ever. On Linux (x86-64, arm64) the open is made with O_NONBLOCK; elsewhere, or
/// where the call is not there, it is the plain open, which can wait.
/// </summary>
internal static partial class NonBlockingOpen
{
    // <fcntl.h> and <errno.h> on Linux x86-64 and arm64.
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int ReadWrite = 2;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int GetFlags = 3;
    private const int SetFlags = 4;
    private const int NoReader = 6; // ENXIO: a FIFO opened for writing that no process reads

    private static bool Native => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Whether the existing <paramref name="path"/> is something that cannot seek: a FIFO, a socket, a pipe or a
    /// terminal. Such a path is read (as empty, when nothing writes it) but must not be written through: the write would
    /// wait for a reader.
    /// </summary>
    public static bool IsStream(string path)
    {
        try
        {
            using var stream = Read(path, bufferSize: 1);
            return !stream.CanSeek;
        }
        catch (IOException)
        {
            // A socket cannot be opened at all (ENXIO): not a file either.
            return File.Exists(path);
        }
    }

    /// <summary>
    /// A stream to read <paramref name="path"/>. A FIFO that no process writes reads as empty (end of file); a pipe that
    /// is being written (<c>&lt;(…)</c>) reads as it is written, and O_NONBLOCK is cleared after the open so that reads
    /// wait for data as usual. A named FIFO whose writer comes only after this open reads as empty too.
    /// </summary>
    public static FileStream Read(string path, int bufferSize)
    {
        if (Native && !path.Contains('\0', StringComparison.Ordinal) && TryOpen(path, ReadOnly) is { } handle)
        {
            try
            {
                var fd = (int)handle.DangerousGetHandle();
                var flags = Fcntl(fd, GetFlags, 0);
                if (flags < 0 || Fcntl(fd, SetFlags, flags & ~NonBlocking) < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new IOException($"cannot read {path}: fcntl failed (errno {errno})");
                }

                return new FileStream(handle, FileAccess.Read, bufferSize);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        // Also where the native open failed: this one throws the usual exception for a missing or unreadable file.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize, FileOptions.SequentialScan);
    }

    /// <summary>
    /// Checks that the existing <paramref name="path"/> may be opened for writing, and writes nothing. A FIFO that no
    /// process reads passes (it is replaced, not written through); any other refusal throws the usual exception.
    /// </summary>
    public static void ProbeWrite(string path)
    {
        if (Native && !path.Contains('\0', StringComparison.Ordinal))
        {
            try
            {
                var fd = OpenNative(path, WriteOnly | NonBlocking | CloseOnExec);
                if (fd >= 0)
                {
                    new SafeFileHandle((nint)fd, ownsHandle: true).Dispose();
                    return;
                }

                // ENXIO: a FIFO that no process reads (it will be replaced, not written through), or a socket, which
                // must not be replaced: a FIFO opens read-write without waiting, a socket does not open at all.
                if (Marshal.GetLastPInvokeError() == NoReader)
                {
                    var again = OpenNative(path, ReadWrite | NonBlocking | CloseOnExec);
                    if (again < 0)
                    {
                        throw new IOException($"{path} is a socket or a device with no file behind it");
                    }

                    new SafeFileHandle((nint)again, ownsHandle: true).Dispose();
                    return;
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not the libc expected: the plain open below.
            }
        }

        using (new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
        }
    }

    private static SafeFileHandle? TryOpen(string path, int access)
    {
        try
        {
            var fd = OpenNative(path, access | NonBlocking | CloseOnExec);
            return fd >= 0 ? new SafeFileHandle((nint)fd, ownsHandle: true) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, nint argument);
}
