using System.Diagnostics;

namespace Glidepath.Bench.Gateway;

/// <summary>A <c>glidepath serve</c> child process of the bench, stopped (by its own id) when disposed, and its copy of the app deleted.</summary>
internal sealed class GatewayProcess(Process process, string url, string? directory = null) : IAsyncDisposable
{
    public string Url { get; } = url;

    public TimeSpan Cpu()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// CPU used so far by the runtime's tiered-compilation thread (Linux: <c>/proc/PID/task/*/stat</c> of the thread
    /// named ".NET Tiered Com"), which recompiles hot code optimized; zero where it cannot be read.
    /// </summary>
    public TimeSpan JitCpu()
    {
        var ticks = 0L;
        var tasks = $"/proc/{process.Id}/task";
        if (!Directory.Exists(tasks))
        {
            return TimeSpan.Zero;
        }

        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != ".NET Tiered Com")
                {
                    continue;
                }

                // Fields after the ")" that closes the thread's name: state is the 3rd field, utime the 14th, stime the 15th.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
