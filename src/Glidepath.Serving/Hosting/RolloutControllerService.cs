using Glidepath.Rollouts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// Runs the rollout controller in a gateway or <c>glidepath controller</c>: every <see cref="RolloutControllerOptions.Interval"/>
/// it judges the environment's active rollout (if this process holds its lease) and acts. Each pass reads the store's
/// identity first (<see cref="StoreFollower"/>): a store file that is gone skips the pass, so nothing is judged or written
/// into a file nobody reads, and a store put back is followed. A failed pass is retried on the next one, and logged once
/// per outage and again when it fails another way (and once when a pass succeeds), as the trace writer and the routing
/// refresh do; after a failed pass the controller advances nothing until its settle window has passed
/// (<see cref="RolloutControllerOptions.SettleWindow"/>). On shutdown the lease is given up so another process can take over at once (a standby that cannot reach the store then
/// says nothing above debug: it held none).
/// </summary>
internal sealed partial class RolloutControllerService(
    RolloutController controller, RolloutControllerOptions options, ServingOptions settings, StoreFollower follower, ILogger<RolloutControllerService> logger) : BackgroundService
{
    private readonly OutageLog _outage = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, settings.Time);
        try
        {
            do
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: the store's identity, then the controller's tick; a failure is logged (once per outage), never thrown.</summary>
    internal async Task PassAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The identity carries the store's schema version: on a store a newer glidepath migrated, nothing advances.
            var identity = await follower.ReadAsync(stoppingToken).ConfigureAwait(false);
            var actions = await controller.TickAsync(identity, stoppingToken).ConfigureAwait(false);
            if (_outage.Succeeded())
            {
                LogRecovered(logger, settings.Environment);
            }

            foreach (var action in actions)
            {
                // A rollback, or a hold that hides a likely harm, is what an on-call person must see: warning, not information.
                if (action.RolledBack || action.Warning)
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
            // Store trouble (a failed tick has said so already; the identity read has not): after it, nothing advances
            // until the traces the gateways kept meanwhile can have been written.
            controller.PassFailed();
            if (_outage.Failed(ex.GetType().FullName))
            {
                LogPassesFailing(logger, settings.Environment, ex.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var held = controller.HeldAnyLease; // read before giving up, which forgets what was held
        try
        {
            // A store file that is gone keeps its lease: giving it up there would be a write nobody reads.
            await follower.ReadAsync(cancellationToken).ConfigureAwait(false);
            await controller.ReleaseLeasesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only a lease holder leaves the rollout waiting for its lease to expire; a standby (trial pgoutage LOW 2)
            // held nothing, and saying otherwise would tell the on-call person the rollout is unattended.
            if (held)
            {
                LogFailed(logger, settings.Environment, ex.Message);
            }
            else
            {
                LogStandbyStopFailed(logger, settings.Environment, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollout: {Action}")]
    private static partial void LogRollback(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "rollout: {Action}")]
    private static partial void LogAction(ILogger logger, string action);

    /// <summary>The controller took an environment's lease, or another process holds it (this one is on standby).</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "{Change}")]
    internal static partial void LogLease(ILogger logger, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollout controller pass for {Environment} failed: {Error}; retrying every pass (logged once until one succeeds; nothing advances or rolls back meanwhile)")]
    private static partial void LogPassesFailing(ILogger logger, string environment, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "rollout controller passes for {Environment} succeed again")]
    private static partial void LogRecovered(ILogger logger, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollout controller for {Environment} could not give up its lease on shutdown: {Error}; another controller or gateway takes the rollout over when the lease expires")]
    private static partial void LogFailed(ILogger logger, string environment, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "rollout controller for {Environment} held no lease at its last pass (standby); the check on shutdown that none is left failed: {Error}")]
    private static partial void LogStandbyStopFailed(ILogger logger, string environment, string error);
}
