using Glidepath.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// Applies the manifest's <c>traces.retention</c> every <see cref="Interval"/> (the first pass right after start):
/// old traces are deleted in small batches (<see cref="TraceRetention"/>), so writers never wait long. Several
/// gateways may prune at once; each batch takes rows the others have not locked. A failed pass is logged and retried;
/// a store file that is gone (<see cref="StoreFollower"/>) fails the pass before anything is deleted. A pass skipped
/// because the clock is far past the newest trace is said once, with both times, until a pass runs again.
/// </summary>
internal sealed partial class TraceRetentionService(ServingOptions settings, StoreFollower follower, ILogger<TraceRetentionService> logger) : BackgroundService
{
    public static TimeSpan Interval { get; } = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Manifest.Traces.Retention is not { } retention)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, settings.Time);
        var warned = false;
        try
        {
            do
            {
                try
                {
                    await follower.ReadAsync(stoppingToken).ConfigureAwait(false);
                    var pass = await TraceRetention.PruneAsync(settings.Traces, settings.Manifest.App, retention, settings.Time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    if (pass.Skipped && !warned)
                    {
                        LogSkipped(logger, pass.Now, pass.Newest, TraceRetention.ClockMargin(retention).TotalHours);
                    }

                    // Once per episode: a pass that runs again ends it, so a later one is said again.
                    warned = pass.Skipped;
                    if (pass.Deleted > 0)
                    {
                        LogPruned(logger, pass.Deleted, RetentionText(retention));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>"1 day", "30 days", "12 hours": the retention as the log says it.</summary>
    internal static string RetentionText(TimeSpan retention) => retention.TotalDays >= 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{retention.TotalDays:0.##} {(retention.TotalDays == 1 ? "day" : "days")}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{retention.TotalHours:0.##} {(retention.TotalHours == 1 ? "hour" : "hours")}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} traces older than the retention of {Retention}")]
    private static partial void LogPruned(ILogger logger, long count, string retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace retention skipped: it is {Now:O} by the clock it cuts off from, but the newest trace started at {Newest:O}, more than {MarginHours} hours earlier; a clock that far ahead would delete every trace, so none are deleted until a newer trace is stored (check this host's clock, or the database server's on PostgreSQL; an app that has been idle that long is pruned once it serves again)")]
    private static partial void LogSkipped(ILogger logger, DateTimeOffset now, DateTimeOffset? newest, double marginHours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace retention pass failed: {Error}; retrying next pass")]
    private static partial void LogFailed(ILogger logger, string error);
}
