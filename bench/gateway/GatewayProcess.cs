using System.Diagnostics;
using System.Globalization;

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

    // Ticks seen per thread id of the runtime's tiered-compilation worker: the thread exits when it has no work and a
    // new one starts later, so its CPU is kept per thread rather than summed over the threads alive now.
    private readonly Dictionary<string, long> _jitTicks = [];

    /// <summary>
    /// CPU used so far by the runtime's tiered-compilation worker threads (Linux: <c>/proc/PID/task/*/stat</c> of the
    /// threads named ".NET Tiered Com"), which recompile hot code optimized; never less than an earlier reading. Null
    /// where <c>/proc</c> cannot be read. First compiles of new code happen on the request threads and are not in it.
    /// </summary>
    public TimeSpan? JitCpu()
    {
        var tasks = $"/proc/{process.Id}/task";
        try
        {
            foreach (var task in Directory.EnumerateDirectories(tasks))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != ".NET Tiered Com")
                {
                    continue;
                }

                // The fields after the ") " that closes the thread's name start at field 3 (state): utime is field 14, stime 15.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var id = Path.GetFileName(task);
                _jitTicks[id] = Math.Max(ticks, _jitTicks.GetValueOrDefault(id));
            }
        }
        catch (IOException) when (Directory.Exists(tasks))
        {
            // A thread ended between listing and reading: the ticks seen before stay counted.
        }
        catch (IOException)
        {
            return null;
        }

        return TimeSpan.FromSeconds(_jitTicks.Values.Sum() / 100.0); // USER_HZ
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
