namespace Glidepath.Serving.Tests.Support;

/// <summary>
/// A clock for one sequential flow of calls whose waits are short (the sim's latencies): a timer due within
/// <see cref="Horizon"/> fires at once, on the thread pool, after moving the clock forward by its due time; a longer one
/// (a provider's timeout) never fires. The sim's latencies then become exact figures, the same on any machine under
/// any load. Not for concurrent flows (their waits would add up on one clock) nor periodic timers.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    /// <summary>Below the sim's 10 s timeout, above any of its answers to the sample's questions (about 1 s).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(9);

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class Timer(SteppingClock clock, TimerCallback callback, object? state) : ITimer
    {
        private volatile bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            if (dueTime >= TimeSpan.Zero && dueTime < Horizon)
            {
                Interlocked.Add(ref clock._ticks, dueTime.Ticks);
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    if (!_disposed)
                    {
                        callback(state);
                    }
                }, null);
            }

            return true;
        }

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
