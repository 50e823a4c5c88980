using Glidepath.Rollouts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// Runs the rollout controller inside the gateway: every <see cref="RolloutControllerOptions.Interval"/> it judges
/// the environment's active rollout (if this gateway holds its lease) and acts. A failed pass is logged and
/// retried on the next one; on shutdown the lease is given up so another gateway can take over at once.
/// </summary>
internal sealed partial class RolloutControllerService(RolloutController controller, RolloutControllerOptions options, ServingOptions settings, ILogger<RolloutControllerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, settings.Time);
        try
        {
            do
            {
                try
                {
                    foreach (var action in await controller.TickAsync(stoppingToken).ConfigureAwait(false))
                    {
                        // A rollback is what an on-call person must see: warning, not information.
                        if (action.RolledBack)
                        {
                            LogRollback(logger, action.Text);
                        }
                        else
                        {
                            LogAction(logger, action.Text);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, settings.Environment, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await controller.ReleaseLeasesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, settings.Environment, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollout: {Action}")]
    private static partial void LogRollback(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "rollout: {Action}")]
    private static partial void LogAction(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollout controller pass for {Environment} failed: {Error}; retrying next pass")]
    private static partial void LogFailed(ILogger logger, string environment, string error);
}
