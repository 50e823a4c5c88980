using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Glidepath.Cli;

/// <summary>
/// The CLI runs with the runtime's tiered profile-guided optimization off (<c>TieredPGO</c> false in its
/// runtimeconfig): a command that lasts seconds (<c>eval run</c>, <c>gate</c>, <c>release create</c>) then compiles its
/// hot code twice instead of three times, a fifth to a third less CPU. A process that serves for days (<c>serve</c>,
/// <c>controller</c>, <c>dashboard</c>) wants it on: without it the gateway settles at about a quarter less throughput
/// (docs/benchmarks.md). On Linux such a command replaces its own process image (<c>execve</c> of its own host binary:
/// same PID, process name, standard streams and arguments) with one whose environment adds <c>DOTNET_TieredPGO=1</c>,
/// as the first thing <c>Main</c> does (the runtime has started once; a startup hook or profiler runs in both images).
/// A <c>DOTNET_TieredPGO</c> or <c>COMPlus_TieredPGO</c> that is present at all, even empty, is left alone, and so is
/// any other platform, and a Native AOT build (no JIT): the command then runs as it started.
/// </summary>
internal static partial class PgoRestart
{
    internal const string Variable = "DOTNET_TieredPGO";

    /// <summary>The commands that keep running until stopped.</summary>
    private static readonly HashSet<string> LongRunning = new(StringComparer.Ordinal) { "serve", "controller", "dashboard" };

    /// <summary>The root options that take a value as the next argument (so that value is not the command).</summary>
    private static readonly HashSet<string> RootOptionsWithValue = new(StringComparer.Ordinal) { "--manifest", "--store", "--server", "--token", "--format" };

    /// <summary>
    /// On Linux, for a long-running command with no <c>DOTNET_TieredPGO</c> set: re-executes this process with it set
    /// to 1 and does not return. Otherwise (or if the exec fails) returns and the command runs in this process.
    /// </summary>
    public static void RestartIfLongRunning(string[] args)
    {
        // Present at all (even empty) counts as set: the exec'd image finds DOTNET_TieredPGO=1 and never execs again.
        // A Native AOT build has no JIT and so no tiered PGO: nothing to restart for. (On the JIT runtime the same flag
        // can be turned off in the runtimeconfig, System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported:
        // serve would then run without PGO. docs/benchmarks.md tried it for short commands and did not keep it.)
        if (!OperatingSystem.IsLinux() || !RuntimeFeature.IsDynamicCodeSupported || Environment.GetEnvironmentVariable(Variable) is not null
            || Environment.GetEnvironmentVariable("COMPlus_TieredPGO") is not null || !IsLongRunning(args))
        {
            return;
        }

        // Exec the host binary by its path, not /proc/self/exe (the kernel names the process after the path it is
        // given: it would show as "exe" to ps, pgrep and process exporters); a binary replaced since start is not run.
        var host = Environment.ProcessPath;
        if (host is null || !File.Exists(host))
        {
            return;
        }

        // The host's own argument vector ("dotnet exec Glidepath.Cli.dll serve …" or "glidepath serve …") and the
        // environment the process started with, byte for byte (a path or value that is not UTF-8 passes unchanged).
        List<byte[]> argv, environment;
        try
        {
            argv = NulSeparated(File.ReadAllBytes("/proc/self/cmdline"));
            environment = NulSeparated(File.ReadAllBytes("/proc/self/environ"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        environment.Add(Encoding.ASCII.GetBytes(Variable + "=1"));
        ReleaseDiagnosticsSocket();
        var errno = Exec(host, argv, environment);
        Console.Error.WriteLine($"note: could not re-execute {host} with tiered PGO on ({errno}); {args.FirstOrDefault(a => LongRunning.Contains(a))} runs without it");
    }

    /// <summary>
    /// Removes this runtime's diagnostics socket (<c>dotnet-diagnostic-PID-…-socket</c> in the temp folder). The image
    /// after <c>execve</c> has the same PID and start time, so it would find the name taken and serve none: dotnet-counters,
    /// dotnet-trace and dotnet-monitor could not attach to the gateway.
    /// </summary>
    private static void ReleaseDiagnosticsSocket()
    {
        try
        {
            foreach (var socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not fatal: the gateway runs, without a diagnostics endpoint.
        }
    }

    /// <summary>Whether <paramref name="args"/> name a command that keeps running (<c>serve</c>, <c>controller</c>, <c>dashboard</c>), not its help.</summary>
    internal static bool IsLongRunning(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (RootOptionsWithValue.Contains(arg))
            {
                i++;
                continue;
            }

            if (arg.StartsWith('-'))
            {
                continue;
            }

            // The first argument that is not a root option is the command; help and version print and exit.
            return LongRunning.Contains(arg) && !args.Skip(i + 1).Any(a => a is "-h" or "-?" or "--help" or "--version");
        }

        return false;
    }

    /// <summary>The strings of a <c>/proc</c> file: each ends with a NUL byte.</summary>
    private static List<byte[]> NulSeparated(byte[] bytes)
    {
        var result = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == 0)
            {
                result.Add(bytes[start..i]);
                start = i + 1;
            }
        }

        return result;
    }

    /// <summary>Replaces the process image; returns only when that failed, with why.</summary>
    private static string Exec(string path, IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> environment)
    {
        var owned = new List<IntPtr>();
        try
        {
            _ = Execve(path, Pointers(argv, owned), Pointers(environment, owned));
            return $"errno {Marshal.GetLastPInvokeError()}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return ex.Message;
        }
        finally
        {
            foreach (var p in owned)
            {
                Marshal.FreeHGlobal(p);
            }
        }
    }

    /// <summary>A null-terminated array of NUL-terminated strings, as <c>execve</c> takes; each is recorded in <paramref name="owned"/> to free.</summary>
    private static IntPtr[] Pointers(IReadOnlyList<byte[]> values, List<IntPtr> owned)
    {
        var result = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            var p = Marshal.AllocHGlobal(values[i].Length + 1);
            owned.Add(p);
            Marshal.Copy(values[i], 0, p, values[i].Length);
            Marshal.WriteByte(p, values[i].Length, 0);
            result[i] = p;
        }

        return result;
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, IntPtr[] argv, IntPtr[] envp);
}
