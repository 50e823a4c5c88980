using Glidepath.Storage;

namespace Glidepath.Traces;

/// <summary>
/// Deletes an app's traces older than its retention, in batches of <see cref="BatchSize"/>, each its own short
/// transaction, so trace writers never wait behind one long delete.
/// </summary>
public static class TraceRetention
{
    public const int BatchSize = 500;

    /// <summary>Deletes every trace of <paramref name="app"/> started before <paramref name="now"/> − <paramref name="retention"/>; returns how many.</summary>
    public static async Task<long> PruneAsync(ITraceStore traces, string app, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken, int batchSize = BatchSize)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var before = now - retention;
        long total = 0;
        while (true)
        {
            var deleted = await traces.DeleteBeforeAsync(app, before, batchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }
}
