namespace Glidepath.Serving.Hosting;

/// <summary>
/// Whether the store is busy for this process's background writes (traces, shadow pairs): it can be read, but a write
/// failed for a reason that passes with time (another connection holds SQLite's write lock), so what it carried is kept
/// and written again. Since when and why, for <c>/readyz</c> and the <c>glidepath.store.busy</c> gauge. Each writer keeps
/// its own state, so one writer's success does not hide the other's busy batch: busy while either is.
/// </summary>
public sealed class StoreWriteStatus
{
    private static readonly StatusSnapshot NotBusySnapshot = new(false, null, null);

    private readonly StatusSnapshot[] _writers = [NotBusySnapshot, NotBusySnapshot];
    private volatile StatusSnapshot _snapshot = NotBusySnapshot;

    /// <summary>The background writers that report here.</summary>
    internal enum Writer
    {
        Traces = 0,
        ShadowPairs = 1,
    }

    public StatusSnapshot Current => _snapshot;

    /// <summary>A background write failed: busy (the episode began at the first such failure) or, for any other failure, not busy.</summary>
    internal void Failed(Writer writer, StoreFailure failure, ServingOptions settings, Exception error)
    {
        if (failure != StoreFailure.Busy)
        {
            NotBusy(writer);
            return;
        }

        lock (_writers)
        {
            var since = _writers[(int)writer].BusySince ?? settings.Time.GetUtcNow();
            _writers[(int)writer] = new(true, since, $"the store at {settings.Failures?.Location} is busy: {error.Message}");
            Combine();
        }
    }

    /// <summary>A write of <paramref name="writer"/> succeeded, or failed another way: it is not busy (any more).</summary>
    internal void NotBusy(Writer writer)
    {
        if (!_snapshot.Busy)
        {
            return; // the common case, on every batch written: no lock
        }

        lock (_writers)
        {
            _writers[(int)writer] = NotBusySnapshot;
            Combine();
        }
    }

    // Busy while either writer is: since the earlier episode began, with that writer's reason.
    private void Combine()
    {
        var busy = _writers.Where(w => w.Busy).OrderBy(w => w.BusySince).FirstOrDefault();
        _snapshot = busy ?? NotBusySnapshot;
    }

    /// <param name="Busy">The last background write of a writer failed because the store was busy.</param>
    /// <param name="BusySince">The first busy failure of this episode.</param>
    /// <param name="Reason">The store's location and its error (not for anonymous callers: it names the store).</param>
    public sealed record StatusSnapshot(bool Busy, DateTimeOffset? BusySince, string? Reason);
}
