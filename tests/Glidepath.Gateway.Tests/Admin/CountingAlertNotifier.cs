using Glidepath.Monitoring;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>An alert notifier that posts nothing: it counts the alerts handed to it and answers <see cref="Outcome"/>.</summary>
internal sealed class CountingAlertNotifier : IAlertNotifier
{
    private int _posts;

    public int Posts => _posts;

    public string Outcome { get; set; } = AlertDelivery.Sent;

    public Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _posts);
        return Task.FromResult(Outcome);
    }
}
