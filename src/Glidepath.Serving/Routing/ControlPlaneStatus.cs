namespace Glidepath.Serving.Routing;

/// <summary>Whether the gateway can read its environment from the store, and since when it cannot.</summary>
public sealed class ControlPlaneStatus
{
    private volatile StatusSnapshot _snapshot = new(false, null, null, null);

    public StatusSnapshot Current => _snapshot;

    public void Ok(DateTimeOffset now) => _snapshot = new StatusSnapshot(false, now, null, null);

    public void Failed(DateTimeOffset now, string reason) =>
        _snapshot = new StatusSnapshot(true, _snapshot.LastOk, _snapshot.StaleSince ?? now, reason);

    public sealed record StatusSnapshot(bool Stale, DateTimeOffset? LastOk, DateTimeOffset? StaleSince, string? Reason);
}
