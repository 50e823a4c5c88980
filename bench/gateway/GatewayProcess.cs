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
