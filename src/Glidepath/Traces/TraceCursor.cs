namespace Glidepath.Traces;

/// <summary>
/// A place in a newest-first list of traces (started_at descending, then trace id ascending): the trace listed last on
/// a page. The next page holds the traces listed after it, so a page's edge neither skips nor repeats traces that
/// started at the same instant.
/// </summary>
public sealed record TraceCursor(DateTimeOffset StartedAt, string TraceId)
{
    /// <summary>The cursor at <paramref name="trace"/>.</summary>
    public static TraceCursor At(TraceRecord trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new TraceCursor(trace.StartedAt, trace.TraceId);
    }

    /// <summary>True when <paramref name="trace"/> is listed after this cursor (newest first): it started earlier, or at the same time with a greater id.</summary>
    public bool IsBefore(TraceRecord trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return trace.StartedAt < StartedAt || (trace.StartedAt == StartedAt && string.CompareOrdinal(trace.TraceId, TraceId) > 0);
    }
}
