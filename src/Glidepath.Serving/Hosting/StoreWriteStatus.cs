namespace Glidepath.Serving.Hosting;

/// <summary>
/// Whether the store is busy for this process's background writes (traces, shadow pairs): it can be read, but a write
/// failed for a reason that passes with time (another connection holds SQLite's write lock), so what it carried is kept
/// and written again. Since when and why, for <c>/readyz</c> and the <c>glidepath.store.busy</c> gauge.
/// </summary>
public sealed class StoreWriteStatus
{
    private static readonly StatusSnapshot NotBusySnapshot = new(false, null, null);

    private volatile StatusSnapshot _snapshot = NotBusySnapshot;

    public StatusSnapshot Current => _snapshot;

    /// <summary>A background write failed: busy (the episode began at the first such failure) or, for any other failure, not busy.</summary>
    internal void Failed(StoreFailure failure, ServingOptions settings, Exception error)
    {
        if (failure == StoreFailure.Busy)
        {
            _snapshot = new(true, _snapshot.BusySince ?? settings.Time.GetUtcNow(), $"the store at {settings.Failures?.Location} is busy: {error.Message}");
        }
        else
        {
            NotBusy();
        }
    }

    /// <summary>A write succeeded, or failed another way: the store is not busy (any more).</summary>
    internal void NotBusy()
    {
        if (_snapshot.Busy)
        {
            _snapshot = NotBusySnapshot;
        }
    }

    /// <param name="Busy">The last background write failed because the store was busy.</param>
    /// <param name="BusySince">The first busy failure of this episode.</param>
    /// <param name="Reason">The store's location and its error (not for anonymous callers: it names the store).</param>
    public sealed record StatusSnapshot(bool Busy, DateTimeOffset? BusySince, string? Reason);
}
