using System.Diagnostics;

namespace Glidepath.Bench.Gateway;

/// <summary>A <c>glidepath serve</c> child process of the bench, stopped (by its own id) when disposed.</summary>
internal sealed class GatewayProcess(Process process, string url) : IAsyncDisposable
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
    }
}
