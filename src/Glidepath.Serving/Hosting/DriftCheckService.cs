using Glidepath.Errors;
using Glidepath.Monitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// Runs the drift monitor on the gateway's environment as soon as the host has started and then every <see cref="ServingOptions.MonitorInterval"/>:
/// the same check as <c>glidepath monitor --check</c>, with alerts stored and posted to GLIDEPATH_ALERT_WEBHOOK (and
/// earlier alerts whose post failed posted again).
/// A failed check is logged and retried at the next interval; it never affects traffic. A store file that is gone
/// (<see cref="StoreFollower"/>) fails the check before anything is read or stored.
/// </summary>
internal sealed partial class DriftCheckService(ServingOptions settings, StoreFollower follower, ILogger<DriftCheckService> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the check at start has run (whatever it found, failed included): for tests, with no clock to wait on.</summary>
    internal Task FirstCheck => _firstCheck.Task;

    /// <summary>Says once, as the host starts, when <c>traces.retention</c> leaves the feedback metric without a reference.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Monitor is not null && settings.MonitorInterval > TimeSpan.Zero
            && settings.MonitorPolicy().FeedbackLostToRetention(settings.Manifest.Traces.Retention) is { } lost)
        {
            LogFeedbackLost(logger, settings.Environment, lost);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Monitor is null || settings.MonitorInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        IAlertNotifier? notifier = null;
        try
        {
            notifier = WebhookNotifier.FromEnvironment(http);
        }
        catch (BadInputException ex)
        {
            LogWebhookIgnored(logger, ex.Message);
        }

        var service = new MonitorService(settings.Environments, settings.Releases, settings.Traces, settings.Monitor,
            settings.MonitorPolicy(), settings.Time, notifier);

        // The first check runs as soon as the host has started (off the start-up path: StartAsync is not held up by the
        // store), not one interval later: a gateway restarted more often than the interval never checked (trial "drift" #7).
        // Whatever traces the store holds can be read at once; the recent window is whatever came in its last minutes.
        await Task.Yield();
        try
        {
            await CheckOnceAsync(service, stoppingToken).ConfigureAwait(false);
            _firstCheck.TrySetResult();
            using var timer = new PeriodicTimer(settings.MonitorInterval, settings.Time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckOnceAsync(service, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _firstCheck.TrySetCanceled(CancellationToken.None);
        }
    }

    private async Task CheckOnceAsync(MonitorService service, CancellationToken stoppingToken)
    {
        try
        {
            await follower.ReadAsync(stoppingToken).ConfigureAwait(false);
            var check = await service.CheckAsync(settings.Manifest.App, settings.Environment, stoppingToken).ConfigureAwait(false);
            foreach (var alert in check.Raised)
            {
                LogAlert(logger, alert.Id, alert.Message, alert.Notification);
            }

            foreach (var retry in check.Delivered.Where(d => check.Raised.All(a => a.Id != d.AlertId)))
            {
                LogRetry(logger, retry.AlertId, retry.Attempt, retry.Outcome);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "drift alert {Id}: {Message} (webhook: {Notification})")]
    private static partial void LogAlert(ILogger logger, string id, string message, string notification);

    [LoggerMessage(Level = LogLevel.Warning, Message = "drift alert {Id}: webhook retry, attempt {Attempt}: {Outcome}")]
    private static partial void LogRetry(ILogger logger, string id, int attempt, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "drift check failed, retrying at the next interval: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "drift monitor for {Environment}: {Reason}")]
    private static partial void LogFeedbackLost(ILogger logger, string environment, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert webhook ignored: {Reason}")]
    private static partial void LogWebhookIgnored(ILogger logger, string reason);
}
