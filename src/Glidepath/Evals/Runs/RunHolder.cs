using System.Diagnostics;

namespace Glidepath.Evals.Runs;

/// <summary>
/// This process as the holder of a run's lease (<see cref="EvalRunLease"/>): who it is, how long a lease lasts unless
/// renewed, and how it tells that the holder of another lease is gone, so that lease can be taken over before it lapses.
/// </summary>
public sealed record RunHolder
{
    /// <summary>How long a lease lasts unless renewed (docs/eval.md, "One process at a time"); it is renewed every quarter of it.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(2);

    // A pid means a process only in its pid namespace: containers that share a host name (docker --network host) each count
    // their own pids, so a holder is judged gone only by a process in the same namespace.
    private static readonly string Scope = PidNamespace();

    /// <summary>The holder's id, new for each lease: its pid namespace, then random hex.</summary>
    public required string Id { get; init; }

    public required string Host { get; init; }

    public required int Pid { get; init; }

    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>
    /// Whether the process holding <see cref="EvalRunLease"/> is gone: on this machine and in this pid namespace, no process
    /// has its pid, or the one that has it started after the lease was taken (the pid was used again). Where that cannot be
    /// told (another machine, a process this one may not inspect) it is not gone: the lease is waited for until it lapses.
    /// </summary>
    public required Func<EvalRunLease, bool> IsGone { get; init; }

    /// <summary>A holder for this process, with a new id.</summary>
    public static RunHolder ForThisProcess() => new()
    {
        Id = $"{Scope}/{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}",
        Host = Environment.MachineName,
        Pid = Environment.ProcessId,
        IsGone = HolderGone,
    };

    private static bool HolderGone(EvalRunLease lease)
    {
        if (lease.Host != Environment.MachineName || !lease.Holder.StartsWith(Scope + "/", StringComparison.Ordinal) || lease.Pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(lease.Pid);
            if (process.HasExited)
            {
                return true;
            }

            // The holder started before it took the lease; a process that started well after it has the pid by reuse. The
            // margin keeps a clock step from ever making a live holder look gone: at worst its lease is waited for.
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero) > lease.Since + TimeSpan.FromSeconds(5);
        }
        catch (ArgumentException)
        {
            return true; // no process has that pid
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string PidNamespace()
    {
        try
        {
            return OperatingSystem.IsLinux() && new FileInfo("/proc/self/ns/pid").LinkTarget is { } target
                ? target.Replace("/", "", StringComparison.Ordinal)
                : "-";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "-";
        }
    }
}
