using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Which file a path names right now: (device, inode) from stat(2) on Linux. A store file moved over or deleted and
/// created again has another inode even when its content (and its store id) are the same, e.g. a backup put back
/// with <c>mv</c>. Null where it cannot be read (another OS, or no file): callers then rely on the store id alone.
/// </summary>
internal static partial class FileIdentity
{
    public static (ulong Device, ulong Inode)? Of(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return null;
        }

        // struct stat begins with st_dev then st_ino (8 bytes each) on x86-64 and arm64 glibc; the rest is not read.
        var buffer = new byte[256];
        try
        {
            return Stat(path, buffer) == 0
                ? (BinaryPrimitives.ReadUInt64LittleEndian(buffer), BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(8)))
                : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, [Out] byte[] buffer);
}
