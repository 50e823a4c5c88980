namespace Glidepath.Monitoring;

/// <summary>Tells someone about a new drift alert (a webhook); the result is stored on the alert.</summary>
public interface IAlertNotifier
{
    /// <summary>"sent", or "failed: reason". Never throws for a delivery problem: the alert is stored either way.</summary>
    Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken);
}
