using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Support;

/// <summary>
/// A clock whose wall time can step (NTP, a VM resumed, an operator's date command) while its monotonic timestamp does
/// not: <see cref="FakeTimeProvider"/> moves both together. Timers and timestamps are the inner fake's, so
/// <see cref="FakeTimeProvider.Advance"/> is time really passing; <see cref="Step"/> is the wall clock alone jumping.
/// </summary>
internal sealed class WallClockStep(FakeTimeProvider inner) : TimeProvider
{
    private long _stepTicks;

    /// <summary>Moves the wall clock by <paramref name="by"/> (forward or back); the monotonic clock does not move.</summary>
    public void Step(TimeSpan by) => Interlocked.Add(ref _stepTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow().AddTicks(Interlocked.Read(ref _stepTicks));

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
