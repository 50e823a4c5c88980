namespace Glidepath.Serving.Hosting;

/// <summary>Why the store did not take a background write (a batch of traces or shadow pairs): what becomes of the batch.</summary>
internal enum StoreFailure
{
    /// <summary>Reachable, and refusing this batch (a constraint, a read-only store): written again it would be refused again. Dropped and counted.</summary>
    Refused,

    /// <summary>It cannot be reached (an outage): kept and written again with a backoff.</summary>
    Unreachable,

    /// <summary>
    /// Reachable but busy (another connection holds the write lock; a lock, statement or command timeout; a serialization
    /// failure; too many connections): kept and written again, as in an outage, for up to <see cref="ServingOptions.StoreBusyLimit"/>.
    /// </summary>
    Busy,
}
