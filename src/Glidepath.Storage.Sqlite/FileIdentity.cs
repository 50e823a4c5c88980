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

    /// <summary>
    /// When the file at <paramref name="path"/> was created, in nanoseconds since 1970 (statx(2)'s birth time, which a
    /// rename keeps and no write changes); null where it cannot be read (another OS, a file system without it, no file).
    /// With the inode it tells the same file moved away and back from a new file that was given a freed inode.
    /// </summary>
    public static long? Born(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx is the same on every architecture: stx_mask at 0, stx_btime (i64 seconds, u32 nanoseconds) at 80.
        const uint BirthTime = 0x800;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, BirthTime, buffer) != 0 || (BinaryPrimitives.ReadUInt32LittleEndian(buffer) & BirthTime) == 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(80)) * 1_000_000_000) + BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(88));
    }

    private const int AtCurrentDirectory = -100;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, [Out] byte[] buffer);
}
