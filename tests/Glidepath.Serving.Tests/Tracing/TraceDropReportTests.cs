using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Glidepath.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>
/// Dropped traces reach the log, counted by why and with the running total, at most once a minute while they are
/// dropped and not at all while none are: a drop on the request path (queue full) is otherwise only a counter.
/// </summary>
public sealed class TraceDropReportTests
{
    [Fact]
    public void Report_DropsWithinAMinute_OneLineWithTheCountsThenNothingWhileNoneAreDropped()
    {
        var time = new FakeTimeProvider();
        var queue = new TraceQueue(1);
        var log = new CapturedLog<TraceWriter>();
        using var report = new TraceDropReport(queue, log, TimeSpan.FromMinutes(5), "/readyz's traces_dropped");
        report.Start(time);

        Assert.True(queue.TryEnqueue(TestTraces.Stable(0)));
        Assert.False(queue.TryEnqueue(TestTraces.Stable(1))); // full: dropped on the request path
        Assert.False(queue.TryEnqueue(TestTraces.Stable(2)));
        queue.CountDropped(3, TraceDrop.Refused);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(log.Lines);

        time.Advance(TimeSpan.FromSeconds(1));
        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("5 trace(s) dropped since the last such line: 2 because the queue was full, 3 refused by the store, 0 given up after the store stayed busy for 00:05:00; 5 dropped since this process started", line.Text, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Single(log.Lines);

        queue.CountDropped(2, TraceDrop.GivenUp);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, log.Lines.Count);
        Assert.StartsWith("2 trace(s) dropped since the last such line: 0 because the queue was full, 0 refused by the store, 2 given up", log.Lines.Last().Text, StringComparison.Ordinal);
        Assert.Contains("; 7 dropped since this process started", log.Lines.Last().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_TracesLostAtAStop_LeftToTheStopsOwnLine()
    {
        var queue = new TraceQueue(10);
        var log = new CapturedLog<TraceWriter>();
        using var report = new TraceDropReport(queue, log, TimeSpan.FromMinutes(5), "/readyz's traces_dropped");

        queue.CountDropped(4, TraceDrop.Stopped);
        report.Report();

        Assert.Empty(log.Lines);
    }
}
