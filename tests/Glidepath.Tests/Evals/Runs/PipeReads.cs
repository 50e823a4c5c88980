using System.Globalization;
using System.Runtime.InteropServices;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>
/// Whether a thread of this process waits in read(2) on a named pipe, from Linux's /proc: a condition a test waits on
/// instead of a sleep that hopes the reader got there.
/// </summary>
internal static class PipeReads
{
    /// <summary>Completes once a thread of this process is in read(2) on a descriptor opened read-only on <paramref name="path"/>.</summary>
    public static async Task WaitUntilAThreadReadsAsync(string path)
    {
        var read = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 63 : 0;
        while (!ThreadReads(Path.GetFullPath(path), read))
        {
            await Task.Delay(10);
        }
    }

    private static bool ThreadReads(string path, int readSyscall)
    {
        var readers = new HashSet<long>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            var number = long.Parse(Path.GetFileName(fd), CultureInfo.InvariantCulture);
            if (Target(fd) == path && ReadOnly(number))
            {
                readers.Add(number);
            }
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            // "<syscall> <arg0> …", arg0 the descriptor in hex; "running" or "-1 …" when the thread is in no call.
            var fields = Text(Path.Combine(task, "syscall")).Split(' ');
            if (fields.Length > 1 && fields[0] == readSyscall.ToString(CultureInfo.InvariantCulture)
                && long.TryParse(fields[1].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var fd) && readers.Contains(fd))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Target(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool ReadOnly(long fd)
    {
        // fdinfo's "flags:" is octal; the access mode is its two low bits (0 = O_RDONLY).
        var flags = Text($"/proc/self/fdinfo/{fd}").Split('\n').FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
        return flags is not null && (Convert.ToInt64(flags["flags:".Length..].Trim(), 8) & 3) == 0;
    }

    private static string Text(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
