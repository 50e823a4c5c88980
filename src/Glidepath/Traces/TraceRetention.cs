using Glidepath.Storage;

namespace Glidepath.Traces;

/// <summary>
/// Deletes an app's traces older than its retention, in batches of <see cref="BatchSize"/>, each its own short
/// transaction, so trace writers never wait behind one long delete. The cut-off is taken from the store's clock when it
/// has one (PostgreSQL's server), so one host whose clock is ahead does not cut off the traces of every gateway; and a
/// pass whose "now" is more than <see cref="ClockMargin"/> (half the retention, at most a day) past the app's newest
/// trace deletes nothing, because a clock that far ahead would delete every trace.
/// </summary>
public static class TraceRetention
{
    public const int BatchSize = 500;

    /// <summary>
    /// How far "now" may be past the app's newest trace before a pass is skipped: half the retention, at most a day. A
    /// clock ahead by more deletes nothing; one ahead by less deletes at most that much more, and always leaves at least
    /// half the retention. An app idle for longer keeps its traces until it serves again.
    /// </summary>
    public static TimeSpan ClockMargin(TimeSpan retention) => retention / 2 < MaxClockMargin ? retention / 2 : MaxClockMargin;

    private static readonly TimeSpan MaxClockMargin = TimeSpan.FromDays(1);

    /// <summary>
    /// Deletes every trace of <paramref name="app"/> started before "now" − <paramref name="retention"/>, where "now" is the
    /// store's clock, or <paramref name="localNow"/> when the store has none; skipped when "now" is more than
    /// <see cref="ClockMargin"/> past the newest trace.
    /// </summary>
    public static async Task<RetentionPass> PruneAsync(ITraceStore traces, string app, TimeSpan retention, DateTimeOffset localNow, CancellationToken cancellationToken, int batchSize = BatchSize)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var clock = await traces.ClockAsync(app, cancellationToken).ConfigureAwait(false);
        var now = clock.StoreNow ?? localNow;
        if (clock.Newest is not { } newest)
        {
            return new RetentionPass(0, now, null, Skipped: false);
        }

        if (now - newest > ClockMargin(retention))
        {
            return new RetentionPass(0, now, newest, Skipped: true);
        }

        var before = now - retention;
        long total = 0;
        while (true)
        {
            var deleted = await traces.DeleteBeforeAsync(app, before, batchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < batchSize)
            {
                return new RetentionPass(total, now, newest, Skipped: false);
            }
        }
    }
}
