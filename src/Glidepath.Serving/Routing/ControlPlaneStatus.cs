using System.Globalization;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Whether the gateway can read its environment from the store, and since when it cannot. A read that has not answered
/// for <c>hungAfter</c> counts as unreadable while it hangs (a frozen connection, a dead mount, a network that drops
/// packets): it never fails, so without this <c>/readyz</c> said <c>ok</c> for as long as the driver waited. Also how the
/// store's changes reach this host (<see cref="Changes"/>), and whether a newer glidepath migrated the store under it
/// (<see cref="NewerSchema"/>).
/// </summary>
public sealed class ControlPlaneStatus(TimeProvider time, TimeSpan hungAfter)
{
    private volatile StatusSnapshot _snapshot = new(false, null, null, null);
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

    /// <summary>When the read in progress began (UTC ticks), 0 when none is.</summary>
    private long _readingSince;

    /// <summary>The status now: as the last read left it, or stale while a read has hung for <c>hungAfter</c>.</summary>
    public StatusSnapshot Current
    {
        get
        {
            var snapshot = _snapshot;
            if (snapshot.Stale || ReadingSince is not { } started)
            {
                return snapshot;
            }

            var waited = time.GetUtcNow() - started;
            return waited < hungAfter
                ? snapshot
                : snapshot with
                {
                    Stale = true,
                    StaleSince = started,
                    Reason = string.Create(CultureInfo.InvariantCulture,
                        $"a read of the store started at {started:HH:mm:ss} UTC has not answered for {(long)waited.TotalSeconds} s"),
                };
        }
    }

    /// <summary>The status as the last read that ended left it, without a read in progress that hangs.</summary>
    public StatusSnapshot LastRead => _snapshot;

    /// <summary>The start of the read in progress, or null when none is.</summary>
    public DateTimeOffset? ReadingSince => Interlocked.Read(ref _readingSince) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void ReadStarted(DateTimeOffset now) => Interlocked.Exchange(ref _readingSince, now.UtcTicks);

    public void ReadEnded() => Interlocked.Exchange(ref _readingSince, 0);

    public void Ok(DateTimeOffset now) => _snapshot = new StatusSnapshot(false, now, null, null);

    /// <summary>A read failed: stale since the first read that did not come back good (one that hung first counts from its start).</summary>
    public void Failed(DateTimeOffset now, string reason) =>
        _snapshot = new StatusSnapshot(true, _snapshot.LastOk, _snapshot.StaleSince ?? Earlier(ReadingSince, now), reason);

    private static DateTimeOffset Earlier(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    public sealed record StatusSnapshot(bool Stale, DateTimeOffset? LastOk, DateTimeOffset? StaleSince, string? Reason);

    /// <summary>The store's schema version and the highest this binary knows, the first above the second.</summary>
    public sealed record SchemaAhead(int Store, int Known);
}
