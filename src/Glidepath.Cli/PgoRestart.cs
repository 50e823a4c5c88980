using System.Runtime.InteropServices;
using System.Text;

namespace Glidepath.Cli;

/// <summary>
/// The CLI runs with the runtime's tiered profile-guided optimization off (<c>TieredPGO</c> false in its
/// runtimeconfig): a command that lasts seconds (<c>eval run</c>, <c>gate</c>, <c>release create</c>) then compiles its
/// hot code twice instead of three times, a fifth to a third less CPU. A process that serves for days (<c>serve</c>,
/// <c>controller</c>, <c>dashboard</c>) wants it on: without it the gateway settles at about a quarter less throughput
/// (docs/benchmarks.md). On Linux such a command replaces its own process image (<c>execve</c>: same PID, same standard
/// streams, same arguments) with one whose environment adds <c>DOTNET_TieredPGO=1</c>, before it does anything else.
/// An explicit <c>DOTNET_TieredPGO</c> (either value) is left alone, and so is any other platform: the command then
/// runs as it started.
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
        if (!OperatingSystem.IsLinux() || IsSet(Environment.GetEnvironmentVariable(Variable)) || IsSet(Environment.GetEnvironmentVariable("COMPlus_TieredPGO")) || !IsLongRunning(args))
        {
            return;
        }

        string[] argv;
        try
        {
            // The host's own argument vector ("dotnet exec Glidepath.Cli.dll serve …" or "glidepath serve …"), exactly.
            argv = File.ReadAllText("/proc/self/cmdline", Encoding.UTF8).TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{e.Key}={e.Value}");
        }

        environment.Add(Variable + "=1");
        Exec("/proc/self/exe", argv, environment);
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

    private static bool IsSet(string? value) => !string.IsNullOrEmpty(value);

    private static void Exec(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        var strings = new List<IntPtr>();
        try
        {
            var argvPointers = Pointers(argv, strings);
            var envPointers = Pointers(environment, strings);
            _ = Execve(path, argvPointers, envPointers);

            // Only a failed exec returns (say the binary went away): run on in this process, without PGO.
        }
        finally
        {
            foreach (var p in strings)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    /// <summary>A null-terminated array of UTF-8 strings, as <c>execve</c> takes; each string is recorded in <paramref name="owned"/> to free.</summary>
    private static IntPtr[] Pointers(IReadOnlyList<string> values, List<IntPtr> owned)
    {
        var result = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add(result[i]);
        }

        return result;
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, IntPtr[] argv, IntPtr[] envp);
}
