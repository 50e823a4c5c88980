using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Glidepath.Traces;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>The backlog a gateway reports (/readyz traces_queued) is every trace not yet written, the writer's batch in hand included.</summary>
public sealed class TraceQueueTests
{
    [Fact]
    public void Unwritten_BatchTakenByTheWriter_StillCountsUntilSettled()
    {
        var queue = new TraceQueue(10);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(queue.TryEnqueue(TestTraces.Stable(i)));
        }

        // The writer takes a batch of 3 and cannot write it (the store is down): it holds it and retries.
        var batch = new List<TraceRecord>();
        while (batch.Count < 3 && queue.Reader.TryRead(out var taken))
        {
            batch.Add(taken);
        }

        Assert.Equal((2, 5L), (queue.Count, queue.Unwritten));

        queue.Settled(batch);

        Assert.Equal((2, 2L), (queue.Count, queue.Unwritten));
    }

    [Fact]
    public void Unwritten_QueueFull_ADroppedTraceIsNotCounted()
    {
        var queue = new TraceQueue(1);

        Assert.True(queue.TryEnqueue(TestTraces.Stable(0)));
        Assert.False(queue.TryEnqueue(TestTraces.Stable(1)));

        Assert.Equal((1L, 1L), (queue.Unwritten, queue.Dropped));
    }

    [Fact]
    public void TryEnqueue_CapturedContentOverTheBudget_QueuedWithoutItUntilTheWriterSettlesWhatItHolds()
    {
        var queue = new TraceQueue(10, captureBudgetBytes: 1000);
        var captured = TestTraces.Stable(0) with { InputJson = new string('a', 300), OutputText = new string('b', 100) }; // 800 bytes held

        Assert.True(queue.TryEnqueue(captured));
        Assert.True(queue.TryEnqueue(captured with { TraceId = $"{1:x32}" }));

        Assert.True(queue.Reader.TryRead(out var first));
        Assert.True(queue.Reader.TryRead(out var second));
        Assert.Equal((first.InputJson, first.CaptureDropped), (captured.InputJson, null));
        Assert.Equal((null, null, 200), (second.InputJson, second.OutputText, second.Status));
        Assert.Equal("gateway over 0 MiB of captured content not yet stored", second.CaptureDropped);
        Assert.Equal((800L, 1L), (queue.CapturedBytes, queue.CaptureDropped));

        queue.Settled([first, second]);

        Assert.Equal(0L, queue.CapturedBytes);
        Assert.True(queue.TryEnqueue(captured with { TraceId = $"{2:x32}" }));
        Assert.True(queue.Reader.TryRead(out var third));
        Assert.Null(third.CaptureDropped);
    }
}
