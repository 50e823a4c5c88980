using Microsoft.Extensions.Logging;

namespace Glidepath.Extensions.AI;

/// <summary>
/// The calls a <see cref="GlidepathRuntime"/> handed out that have not ended: a stop waits for them, so the trace of
/// every call that finished is written before the store is closed.
/// </summary>
internal sealed partial class CallsInFlight(TimeProvider time)
{
    /// <summary>How long a stop that was given no deadline of its own waits for the calls in flight.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Calls begun and not yet ended.</summary>
    private int _count;

    /// <summary>Set by a stop before it looks at <see cref="_count"/>: the call that ends the last one completes it.</summary>
    private TaskCompletionSource? _drained;

    public void Begin() => Interlocked.Increment(ref _count);

    public void End()
    {
        if (Interlocked.Decrement(ref _count) == 0 && Volatile.Read(ref _drained) is { } drained)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>
    /// Called by a stop before it stops handing out calls: from then on the call that ends the last one completes the
    /// task returned, which <see cref="WaitAsync"/> waits for.
    /// </summary>
    public Task Draining()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        return drained.Task;
    }

    /// <summary>Waits for the calls in flight to end, until the host's deadline (or <see cref="Timeout"/> without one); logs those that did not.</summary>
    public async Task WaitAsync(Task drained, ILogger logger, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        using var own = cancellationToken.CanBeCanceled ? null : new CancellationTokenSource(Timeout, time);
        try
        {
            await drained.WaitAsync(own?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (Volatile.Read(ref _count) is var running and > 0)
            {
                LogCallsCutOff(logger, running);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: {Count} Glidepath call(s) were still in flight when the stop's deadline passed; their traces are not written")]
    private static partial void LogCallsCutOff(ILogger logger, int count);
}
