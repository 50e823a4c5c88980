using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Glidepath.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>A stop hands every trace submitted for online scoring on to the trace writer, whether or not the scoring loop ever ran.</summary>
public sealed class OnlineScorerStopTests
{
    // BackgroundService (.NET 10) starts ExecuteAsync on the thread pool with the stopping token, so a stop that comes before
    // the pool ran it cancels the loop unrun. An SDK app stopped with 12 calls in flight lost all 12 traces that way (the
    // loop was what handed them on). A start token already cancelled cancels the loop unrun the same way, deterministically.
    [Fact]
    public async Task StopAsync_LoopCancelledBeforeItRan_EverySubmittedTraceHandedOnScored()
    {
        await using var f = await ServingFixture.StartAsync();
        var traces = new TraceQueue(10);
        using var scorer = new OnlineScorer(f.Options, traces, NullLogger<OnlineScorer>.Instance);
        await scorer.StartAsync(new CancellationToken(canceled: true));
        for (var i = 0; i < 3; i++)
        {
            scorer.Submit(TestTraces.Stable(i), [new ChatMessage(ChatRole.User, "Can I return shoes after 45 days?")], "Yes, within 60 days of purchase.");
        }

        await scorer.StopAsync(CancellationToken.None);

        var handedOn = new List<TraceRecord>();
        while (traces.Reader.TryRead(out var trace))
        {
            handedOn.Add(trace);
        }

        Assert.Equal([TestTraces.Stable(0).TraceId, TestTraces.Stable(1).TraceId, TestTraces.Stable(2).TraceId], handedOn.Select(t => t.TraceId));
        Assert.All(handedOn, t => Assert.Equal((1.0, true), (t.OnlineScore, t.OnlinePassed)));
        Assert.Equal(0, scorer.Skipped);
    }
}
