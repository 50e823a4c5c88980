namespace Glidepath.Serving.Hosting;

/// <summary>
/// How long a background writer has retried the batch in hand while the store stays busy. A busy store is retried as an
/// outage is, but a busy failure can be the batch's own (a batch the server cannot write within the command timeout, an
/// aggregate row whose lock another session never lets go) while later batches would be written: past
/// <see cref="ServingOptions.StoreBusyLimit"/> the batch is given up, so it does not hold back every one after it. An
/// unreachable store is an outage for every batch alike: that batch is kept however long it lasts. One caller at a time.
/// </summary>
internal sealed class BusyRetryLimit(TimeProvider time, TimeSpan limit)
{
    private DateTimeOffset? _since;

    public TimeSpan Limit => limit;

    /// <summary>
    /// A write of the batch in hand failed with <paramref name="failure"/>: true when the store has now been busy for it
    /// for <see cref="Limit"/> or longer (give it up). Any other failure ends the busy run: an outage is not the batch's fault.
    /// </summary>
    public bool Exhausted(StoreFailure failure)
    {
        if (failure != StoreFailure.Busy)
        {
            _since = null;
            return false;
        }

        var now = time.GetUtcNow();
        _since ??= now;
        if (now - _since < limit)
        {
            return false;
        }

        _since = null;
        return true;
    }

    /// <summary>
    /// What a failed write leaves its writer in (<see cref="StoreWriteStatus"/>): dropping the batch when the store refused
    /// it or it was <paramref name="givenUp"/> (<see cref="Exhausted"/>), else keeping it while the store is busy or unreachable.
    /// </summary>
    public static StoreWriteState StateAfter(StoreFailure failure, bool givenUp) =>
        givenUp || failure == StoreFailure.Refused ? StoreWriteState.Dropping
        : failure == StoreFailure.Busy ? StoreWriteState.Busy
        : StoreWriteState.Unreachable;

    /// <summary>The batch in hand was written or dropped: the next one starts afresh.</summary>
    public void Reset() => _since = null;
}
