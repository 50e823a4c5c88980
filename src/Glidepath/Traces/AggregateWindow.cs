namespace Glidepath.Traces;

/// <summary>
/// The minutes that arm statistics over [since, until) read. Aggregates are kept per minute, so both ends are
/// floored to the minute: windows that meet at an instant meet at the same minute and never count a minute twice
/// (a window inside one minute is empty). Every store selects aggregate rows and feedback with it.
/// </summary>
/// <param name="FromMinute">The first minute included (UTC).</param>
/// <param name="UntilMinute">The first minute excluded (UTC), or null for no end.</param>
public readonly record struct AggregateWindow(DateTimeOffset FromMinute, DateTimeOffset? UntilMinute)
{
    /// <summary>The window of requests that started in [<paramref name="since"/>, <paramref name="until"/>).</summary>
    public static AggregateWindow Of(DateTimeOffset since, DateTimeOffset? until) =>
        new(TraceAggregator.MinuteOf(since), until is { } u ? TraceAggregator.MinuteOf(u) : null);

    /// <summary>Whether a request that started at <paramref name="instant"/> (or an aggregate row of that minute) is in the window.</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var minute = TraceAggregator.MinuteOf(instant);
        return minute >= FromMinute && (UntilMinute is not { } until || minute < until);
    }
}
