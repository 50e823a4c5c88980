namespace Glidepath.Serving.Hosting;

/// <summary>How the last background write (a batch of traces or shadow pairs) went: <c>/readyz</c>'s <c>store_writes</c>.</summary>
public enum StoreWriteState
{
    /// <summary>Written (or nothing written yet).</summary>
    Ok = 0,

    /// <summary>The store can be read but the write failed for a reason that passes (a lock, a timeout): the batch is kept and retried.</summary>
    Busy = 1,

    /// <summary>The store cannot be reached (an outage): the batch is kept and retried.</summary>
    Unreachable = 2,

    /// <summary>
    /// The batch was dropped: the store refused it while reachable, or it stayed busy past the writer's limit
    /// (<see cref="ServingOptions.StoreBusyLimit"/>). Counted in <c>traces_dropped</c> (shadow pairs: as failed).
    /// </summary>
    Dropping = 3,
}
