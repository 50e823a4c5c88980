namespace Glidepath.Serving.Hosting;

/// <summary>
/// How this process's background writes (traces, shadow pairs) to the store go: the last write of each writer was
/// written, or failed busy (kept), unreachable (kept), or dropped. Since when and why, for <c>/readyz</c>
/// (<c>store_writes</c>) and the <c>glidepath.store.busy</c> gauge. Each writer keeps its own state, so one writer's
/// success does not hide the other's kept or dropped batch: the status is the worse of the two (dropping, then
/// unreachable, then busy), and busy while either is.
/// </summary>
public sealed class StoreWriteStatus
{
    private static readonly WriterState Written = new(StoreWriteState.Ok, null, null);
    private static readonly StatusSnapshot OkSnapshot = new(StoreWriteState.Ok, null, null, null);

    private readonly WriterState[] _writers = [Written, Written];
    private volatile StatusSnapshot _snapshot = OkSnapshot;

    /// <summary>The background writers that report here.</summary>
    internal enum Writer
    {
        Traces = 0,
        ShadowPairs = 1,
    }

    public StatusSnapshot Current => _snapshot;

    /// <summary>
    /// A background write of <paramref name="writer"/> failed, and its batch is in <paramref name="state"/> (busy or
    /// unreachable: kept; dropping: dropped). An episode begins at its first failure in that state.
    /// </summary>
    internal void Failed(Writer writer, StoreWriteState state, ServingOptions settings, Exception error)
    {
        if (state == StoreWriteState.Ok)
        {
            Succeeded(writer);
            return;
        }

        lock (_writers)
        {
            var last = _writers[(int)writer];
            var since = last.State == state ? last.Since : settings.Time.GetUtcNow();
            _writers[(int)writer] = new(state, since, Reason(state, settings.Failures?.Location, error.Message));
            Combine();
        }
    }

    /// <summary>
    /// Since when <paramref name="writer"/> keeps a batch it could not write (its last write failed busy or unreachable),
    /// or null: it keeps none (written, or dropped). The rollout controller of this host does not advance meanwhile.
    /// </summary>
    internal DateTimeOffset? KeepingSince(Writer writer)
    {
        if (_snapshot.State == StoreWriteState.Ok)
        {
            return null; // the common case: no lock
        }

        lock (_writers)
        {
            return _writers[(int)writer] is { State: StoreWriteState.Busy or StoreWriteState.Unreachable, Since: { } since } ? since : null;
        }
    }

    /// <summary>A write of <paramref name="writer"/> succeeded: it is ok (again).</summary>
    internal void Succeeded(Writer writer)
    {
        if (_snapshot.State == StoreWriteState.Ok)
        {
            return; // the common case, on every batch written: no lock
        }

        lock (_writers)
        {
            _writers[(int)writer] = Written;
            Combine();
        }
    }

    private static string Reason(StoreWriteState state, string? location, string error) => state switch
    {
        StoreWriteState.Busy => $"the store at {location} is busy: {error}",
        StoreWriteState.Unreachable => $"cannot reach the store at {location}: {error}",
        _ => $"the store at {location} did not take a batch, which was dropped: {error}",
    };

    // The worse writer's state (the earlier episode on a tie), and busy while either writer is.
    private void Combine()
    {
        var worst = _writers[0];
        var busySince = (DateTimeOffset?)null;
        foreach (var w in _writers)
        {
            if (w.State > worst.State || (w.State == worst.State && w.Since < worst.Since))
            {
                worst = w;
            }

            if (w.State == StoreWriteState.Busy && (busySince is null || w.Since < busySince))
            {
                busySince = w.Since;
            }
        }

        _snapshot = worst.State == StoreWriteState.Ok ? OkSnapshot : new(worst.State, worst.Since, worst.Reason, busySince);
    }

    private sealed record WriterState(StoreWriteState State, DateTimeOffset? Since, string? Reason);

    /// <param name="State">The worse of the writers' last writes.</param>
    /// <param name="Since">The first failure of that state's episode.</param>
    /// <param name="Reason">The store's location and its error (not for anonymous callers: it names the store).</param>
    /// <param name="BusySince">While a writer's last write failed busy: the first busy failure of its episode.</param>
    public sealed record StatusSnapshot(StoreWriteState State, DateTimeOffset? Since, string? Reason, DateTimeOffset? BusySince)
    {
        /// <summary>A writer's last write failed because the store was busy (its batch is kept and retried).</summary>
        public bool Busy => BusySince is not null;
    }
}
