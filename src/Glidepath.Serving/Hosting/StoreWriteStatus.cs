using System.Globalization;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// How this process's background writes (traces, shadow pairs) to the store go: the last write of each writer was
/// written, or failed busy (kept), unreachable (kept), or dropped. Since when and why, for <c>/readyz</c>
/// (<c>store_writes</c>) and the <c>glidepath.store.busy</c> gauge. Each writer keeps its own state, so one writer's
/// success does not hide the other's kept or dropped batch: the status is the worse of the two (dropping, then
/// unreachable, then busy), and busy while either is. A write that has not answered for <c>hungAfter</c> is busy while
/// it hangs (a frozen server or connection never fails the write, and the driver may wait for its command timeout or
/// longer): without it <c>/readyz</c> said <c>ok</c> while traces piled up behind it (trial pgtwo #1). How long a write
/// has taken is measured on the monotonic clock, so a step of the wall clock is never a hang.
/// </summary>
/// <param name="time">The clock a write in progress is timed on (monotonic) and its start shown with (wall clock).</param>
/// <param name="hungAfter">How long a write may take before it counts as busy while it goes on.</param>
/// <param name="controlPlane">Told of every write that found the store unreachable: the control plane is stale from then
/// until a read succeeds, not from the next read, up to a poll interval later (trial pgoutage LOW 4).</param>
public sealed class StoreWriteStatus(TimeProvider time, TimeSpan hungAfter, Routing.ControlPlaneStatus? controlPlane = null)
{
    private static readonly WriterState Written = new(StoreWriteState.Ok, null, null);
    private static readonly StatusSnapshot OkSnapshot = new(StoreWriteState.Ok, null, null, null);

    private readonly WriterState[] _writers = [Written, Written];
    private readonly WriteInProgress?[] _writing = new WriteInProgress?[2];
    private volatile StatusSnapshot _snapshot = OkSnapshot;

    /// <summary>On the system clock, with <see cref="ServingOptions.HungWriteAfter"/>'s default.</summary>
    public StoreWriteStatus()
        : this(TimeProvider.System, ServingOptions.DefaultHungWriteAfter)
    {
    }

    /// <summary>The background writers that report here.</summary>
    internal enum Writer
    {
        Traces = 0,
        ShadowPairs = 1,
    }

    /// <summary>
    /// The status now: as the writers' last writes left it, or busy while a write has gone unanswered for
    /// <c>hungAfter</c> and no writer is in a worse state (busy, unreachable, dropping: those say more already).
    /// </summary>
    public StatusSnapshot Current
    {
        get
        {
            var last = _snapshot;
            if (last.State != StoreWriteState.Ok || Hung() is not { } hung)
            {
                return last;
            }

            var waited = (long)time.GetElapsedTime(hung.Timestamp).TotalSeconds;
            return new(StoreWriteState.Busy, hung.Since, string.Create(CultureInfo.InvariantCulture,
                $"a write to the store at {hung.Location} started at {hung.Since:HH:mm:ss} UTC has not answered for {waited} s"), hung.Since);
        }
    }

    /// <summary>
    /// A background write of <paramref name="writer"/> to the store at <paramref name="location"/> begins (one object per
    /// batch written, not per request); <see cref="WriteEnded"/> when it returns or throws.
    /// </summary>
    internal void WriteStarted(Writer writer, string? location) =>
        Volatile.Write(ref _writing[(int)writer], new WriteInProgress(time.GetUtcNow(), time.GetTimestamp(), location));

    /// <summary>The write of <paramref name="writer"/> in progress returned or threw (then <see cref="Failed"/> says how).</summary>
    internal void WriteEnded(Writer writer) => Volatile.Write(ref _writing[(int)writer], null);

    // The longest-running write in progress, once it has taken hungAfter; null when none has.
    private WriteInProgress? Hung()
    {
        WriteInProgress? hung = null;
        for (var i = 0; i < _writing.Length; i++)
        {
            if (Volatile.Read(ref _writing[i]) is { } w && time.GetElapsedTime(w.Timestamp) >= hungAfter && (hung is null || w.Timestamp < hung.Timestamp))
            {
                hung = w;
            }
        }

        return hung;
    }

    /// <summary>
    /// A background write of <paramref name="writer"/> failed, and its batch is in <paramref name="state"/> (busy or
    /// unreachable: kept; dropping: dropped). An episode begins at its first failure in that state (or at the start of
    /// that failed write, when it had hung long enough to be reported busy).
    /// </summary>
    internal void Failed(Writer writer, StoreWriteState state, ServingOptions settings, Exception error)
    {
        if (state == StoreWriteState.Ok)
        {
            Succeeded(writer);
            return;
        }

        var reason = Reason(state, settings.Failures?.Location, error.Message);
        lock (_writers)
        {
            var last = _writers[(int)writer];
            // A new episode begins at the failure, or at the failed write's start when it was already reported busy
            // while it hung: store_writes_since does not jump forward when the hang turns into an error.
            var since = last.State == state ? last.Since
                : Volatile.Read(ref _writing[(int)writer]) is { } w && time.GetElapsedTime(w.Timestamp) >= hungAfter ? w.Since
                : settings.Time.GetUtcNow();
            _writers[(int)writer] = new(state, since, reason);
            Combine();
        }

        if (state == StoreWriteState.Unreachable)
        {
            controlPlane?.StoreFailed(reason);
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

    /// <summary>A write in progress: when it began on the wall clock (shown) and on the monotonic one (measured).</summary>
    private sealed record WriteInProgress(DateTimeOffset Since, long Timestamp, string? Location);

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
