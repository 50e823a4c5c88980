using System.Globalization;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Whether the gateway can read its environment from the store, and since when it cannot. A read that has not answered
/// for <c>hungAfter</c> counts as unreadable while it hangs (a frozen connection, a dead mount, a network that drops
/// packets): it never fails, so without this <c>/readyz</c> said <c>ok</c> for as long as the driver waited. Durations
/// (a hung read, how long the store has been unreadable) are measured on the monotonic clock, so a step of the wall
/// clock is never a hang or an outage (trial longrun #3); wall-clock times are kept for display only. Also how the
/// store's changes reach this host (<see cref="Changes"/>), and whether a newer glidepath migrated the store under it
/// (<see cref="NewerSchema"/>). A failure to reach the store that this host saw elsewhere (a background write,
/// <see cref="StoreFailed"/>) makes it stale too until a read succeeds: a read comes only every poll interval, so
/// <c>/readyz?scope=control-plane</c> said <c>ok</c> for seconds while <c>store_writes</c> already said
/// <c>unreachable</c> (trial pgoutage LOW 4).
/// </summary>
public sealed class ControlPlaneStatus(TimeProvider time, TimeSpan hungAfter)
{
    private volatile int _changes = (int)ChangeFeed.Polled;
    private volatile SchemaAhead? _newerSchema;

    /// <summary>How the store's changes reach this host: polled, pushed, or pushed but not arriving (then polled often).</summary>
    public ChangeFeed Changes
    {
        get => (ChangeFeed)_changes;
        set => _changes = (int)value;
    }

    /// <summary>
    /// Set while the store is at a schema newer than this binary knows (a newer glidepath migrated it under this process,
    /// which may drop what the new schema records); null otherwise.
    /// </summary>
    public SchemaAhead? NewerSchema => _newerSchema;

    /// <summary>Records the schema version read with the store's identity, and the highest this binary knows.</summary>
    public void SchemaRead(int store, int known) =>
        _newerSchema = store <= known ? null : _newerSchema is { } same && same.Store == store && same.Known == known ? same : new SchemaAhead(store, known);

    /// <summary>The read in progress, or null when none is.</summary>
    private volatile ReadInProgress? _reading;

    /// <summary>
    /// The status as the last read that ended left it, with the monotonic timestamps (<see cref="TimeProvider.GetTimestamp"/>)
    /// its durations are measured from: a step of the wall clock (NTP, a VM resumed) moves neither.
    /// </summary>
    private volatile Tracked _last = new(new StatusSnapshot(false, null, null, null), null, null);

    /// <summary>A failure to reach the store seen outside the reads, newer than the last good read; null when none is.</summary>
    private volatile SeenFailure? _seen;

    /// <summary>
    /// The status now: as the last read left it, or stale while a read has hung for <c>hungAfter</c>, or while a failure
    /// to reach the store (<see cref="StoreFailed"/>) is newer than the last good read.
    /// </summary>
    public StatusSnapshot Current
    {
        get
        {
            var reads = FromReads;
            if (reads.Stale || _seen is not { } seen)
            {
                return reads;
            }

            var lastOkAt = _last.LastOkAt;
            return reads with { Stale = true, StaleSince = seen.Since, Reason = seen.Reason, StaleFor = time.GetElapsedTime(lastOkAt ?? seen.Timestamp) };
        }
    }

    /// <summary>The status as the reads alone left it (the last one that ended, or one that hangs): what the refresher logs by.</summary>
    internal StatusSnapshot FromReads
    {
        get
        {
            var last = _last;
            if (last.Snapshot.Stale)
            {
                return last.Snapshot with { StaleFor = time.GetElapsedTime(last.LastOkAt ?? last.StaleSinceAt!.Value) };
            }

            if (_reading is not { } reading)
            {
                return last.Snapshot;
            }

            var waited = time.GetElapsedTime(reading.Timestamp);
            return waited < hungAfter
                ? last.Snapshot
                : last.Snapshot with
                {
                    Stale = true,
                    StaleSince = reading.Since,
                    Reason = string.Create(CultureInfo.InvariantCulture,
                        $"a read of the store started at {reading.Since:HH:mm:ss} UTC has not answered for {(long)waited.TotalSeconds} s"),
                    StaleFor = time.GetElapsedTime(last.LastOkAt ?? reading.Timestamp),
                };
        }
    }

    /// <summary>The status as the last read that ended left it, without a read in progress that hangs.</summary>
    public StatusSnapshot LastRead => _last.Snapshot;

    /// <summary>The start of the read in progress (wall clock, for display), or null when none is.</summary>
    public DateTimeOffset? ReadingSince => _reading?.Since;

    /// <summary>The read in progress, one object per read: its start on both clocks.</summary>
    internal ReadInProgress? Reading => _reading;

    /// <summary>How long the read in progress has taken so far, on the monotonic clock; null when none is.</summary>
    public TimeSpan? ReadingFor => _reading is { } reading ? time.GetElapsedTime(reading.Timestamp) : null;

    /// <summary>
    /// While the last read that ended failed: how long the store has not been read, counted from the last good read (or
    /// from the first failed or hung one when there was none), on the monotonic clock. Null while the last read was good.
    /// </summary>
    public TimeSpan? UnreadableFor => _last is { Snapshot.Stale: true } last ? time.GetElapsedTime(last.LastOkAt ?? last.StaleSinceAt!.Value) : null;

    public void ReadStarted() => _reading = new ReadInProgress(time.GetUtcNow(), time.GetTimestamp());

    public void ReadEnded() => _reading = null;

    /// <summary>
    /// A read succeeded. It clears a failure seen elsewhere only when that failure came before the read began: a read
    /// that started before the store went away says nothing about it since.
    /// </summary>
    public void Ok()
    {
        var began = _reading?.Timestamp;
        _last = new Tracked(new StatusSnapshot(false, time.GetUtcNow(), null, null), time.GetTimestamp(), null);
        if (_seen is { } seen && (began is null || seen.Timestamp < began))
        {
            _seen = null;
        }
    }

    /// <summary>
    /// This host failed to reach the store outside its reads (a background write found it unreachable): stale from now
    /// until a read that begins after it succeeds, with <paramref name="reason"/> (which may name the store: shown only to
    /// a caller with a token). Called per failed batch, never per request.
    /// </summary>
    public void StoreFailed(string reason)
    {
        var seen = _seen;
        // Since the first failure seen after the last good read: a later one does not move stale_since forward.
        _seen = new SeenFailure(seen?.Since ?? time.GetUtcNow(), seen?.Timestamp ?? time.GetTimestamp(), reason);
    }

    /// <summary>
    /// A read failed: stale since the first read that did not come back good (one that hung first counts from its start),
    /// or since a failure seen elsewhere before it (<see cref="StoreFailed"/>): <c>stale_since</c> does not jump forward.
    /// </summary>
    public void Failed(string reason)
    {
        var last = _last;
        var (since, sinceAt) = last.StaleSinceAt is { } at ? (last.Snapshot.StaleSince!.Value, at)
            : _reading is { } reading ? (reading.Since, reading.Timestamp)
            : (time.GetUtcNow(), time.GetTimestamp());
        if (last.StaleSinceAt is null && _seen is { } seen && seen.Timestamp < sinceAt)
        {
            (since, sinceAt) = (seen.Since, seen.Timestamp);
        }

        _last = new Tracked(new StatusSnapshot(true, last.Snapshot.LastOk, since, reason), last.LastOkAt, sinceAt);
    }

    public sealed record StatusSnapshot(bool Stale, DateTimeOffset? LastOk, DateTimeOffset? StaleSince, string? Reason)
    {
        /// <summary>
        /// While stale, how long the store has not been read when the snapshot was taken: since the last good read, or the
        /// first failed or hung one when there was none; on the monotonic clock (<see cref="LastOk"/> and
        /// <see cref="StaleSince"/> are wall-clock times, for display). Null otherwise.
        /// </summary>
        public TimeSpan? StaleFor { get; init; }
    }

    /// <summary>The store's schema version and the highest this binary knows, the first above the second.</summary>
    public sealed record SchemaAhead(int Store, int Known);

    /// <summary>A read in progress: when it began on the wall clock (shown) and on the monotonic one (measured).</summary>
    internal sealed record ReadInProgress(DateTimeOffset Since, long Timestamp);

    /// <summary>A failure to reach the store seen outside the reads: its first moment on both clocks, and the last reason.</summary>
    private sealed record SeenFailure(DateTimeOffset Since, long Timestamp, string Reason);

    /// <summary>A snapshot with the monotonic timestamps of its last good read and of the start of its staleness.</summary>
    private sealed record Tracked(StatusSnapshot Snapshot, long? LastOkAt, long? StaleSinceAt);
}
