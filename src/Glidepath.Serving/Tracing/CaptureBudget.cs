namespace Glidepath.Serving.Tracing;

/// <summary>
/// One bound on the captured bytes a gateway holds between a request and the store: the content of traces not yet written
/// (the trace queue and the writer's batch), what a trace waiting for online scoring keeps (its content, the caller's
/// messages, the answer), and what a request waiting to be mirrored to a shadow keeps (the same, and the caller's body).
/// Each holder charges what it keeps before it keeps it and releases that once, whatever becomes of it; a charge that would
/// take the total over <see cref="LimitBytes"/> is refused, and the holder goes on without the bytes (and counts it).
/// </summary>
/// <remarks>The holders beside the trace queue (<see cref="TryChargeBeside"/>) share at most half of the limit: the trace
/// queue always has the other half. A string two holders keep at once (a trace's content while it is also mirrored) is charged by each: the held total is an upper bound.</remarks>
public sealed class CaptureBudget
{
    private long _held;
    private long _beside;
    private long _onlineSkipped;
    private long _shadowSkipped;

    internal CaptureBudget(long limitBytes) => LimitBytes = limitBytes;

    /// <summary>Most bytes held at once (<see cref="ServingOptions.TraceCaptureBudgetBytes"/>).</summary>
    public long LimitBytes { get; }

    /// <summary>Bytes charged now and not yet released.</summary>
    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>Sampled requests passed on unscored because their trace would have taken the budget over its limit.</summary>
    public long OnlineSkipped => Interlocked.Read(ref _onlineSkipped);

    /// <summary>Sampled requests not mirrored to the shadow because they would have taken the budget over its limit.</summary>
    public long ShadowSkipped => Interlocked.Read(ref _shadowSkipped);

    /// <summary>Charges <paramref name="bytes"/>; false (nothing charged) when that would pass <see cref="LimitBytes"/>.</summary>
    internal bool TryCharge(long bytes) => bytes <= 0 || TryAdd(ref _held, bytes, LimitBytes);

    /// <summary>
    /// Charges <paramref name="bytes"/> for a holder beside the trace queue (a trace waiting for online scoring, a request
    /// waiting for the shadow): those together hold at most half of <see cref="LimitBytes"/>, so a slow judge or candidate
    /// cannot take the whole budget and strip every production trace's content. False (nothing charged) past either bound.
    /// </summary>
    internal bool TryChargeBeside(long bytes)
    {
        if (bytes <= 0)
        {
            return true;
        }

        if (!TryAdd(ref _beside, bytes, LimitBytes / 2))
        {
            return false;
        }

        if (TryAdd(ref _held, bytes, LimitBytes))
        {
            return true;
        }

        Interlocked.Add(ref _beside, -bytes);
        return false;
    }

    // Compare-and-swap, not add-then-subtract: a refused charge never shows in the total, so it cannot make another
    // holder's charge look over the limit for a moment.
    private static bool TryAdd(ref long total, long bytes, long limit)
    {
        var seen = Interlocked.Read(ref total);
        while (true)
        {
            if (seen + bytes > limit)
            {
                return false;
            }

            var before = Interlocked.CompareExchange(ref total, seen + bytes, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }
    }

    /// <summary>Gives back what a <see cref="TryChargeBeside"/> that returned true charged: once, when its holder lets go.</summary>
    internal void ReleaseBeside(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _beside, -bytes);
            Release(bytes);
        }
    }

    /// <summary>Gives back what a <see cref="TryCharge"/> that returned true charged: once, when its holder lets go.</summary>
    internal void Release(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _held, -bytes);
        }
    }

    internal void CountOnlineSkipped() => Interlocked.Increment(ref _onlineSkipped);

    internal void CountShadowSkipped() => Interlocked.Increment(ref _shadowSkipped);
}
