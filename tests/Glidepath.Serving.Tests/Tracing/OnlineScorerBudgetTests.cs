using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Glidepath.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>
/// A trace waiting for online scoring holds its content, the caller's messages and the answer: the scorer's queue (2,000)
/// is charged to the gateway's one capture budget, so a slow scorer with large requests cannot hold gigabytes.
/// </summary>
public sealed class OnlineScorerBudgetTests
{
    private const long Budget = 24_000; // scoring and the shadow may hold half: 12,000

    [Fact]
    public async Task Submit_WaitingTracesOverTheCaptureBudget_LaterOnesPassedOnUnscoredAndTheBytesBounded()
    {
        await using var f = await ServingFixture.StartAsync();
        var traces = new TraceQueue(10, Budget);
        using var scorer = new OnlineScorer(f.Options, traces, NullLogger<OnlineScorer>.Instance);
        // A start token already cancelled leaves the scoring loop unrun: what is submitted waits in the queue.
        await scorer.StartAsync(new CancellationToken(canceled: true));
        var question = new string('q', 2_000); // 4,000 bytes as held
        var content = TestTraces.Stable(0) with { InputJson = new string('j', 500), OutputText = "Yes." }; // 1,008 bytes

        for (var i = 0; i < 5; i++)
        {
            scorer.Submit(content with { TraceId = $"{i:x32}" }, [new ChatMessage(ChatRole.User, question)], content.OutputText!);
        }

        // Two fit in scoring's half (2 × 5,008 bytes of 12,000); the other three go on unscored to the trace queue, which
        // keeps the other half: each keeps its content.
        Assert.Equal(2 * 5_008 + 3 * 1_008, traces.CapturedBytes);
        Assert.Equal((3L, 3L), (traces.Budget.OnlineSkipped, scorer.Skipped));
        var passedOn = Drain(traces);
        Assert.Equal([$"{2:x32}", $"{3:x32}", $"{4:x32}"], passedOn.Select(t => t.TraceId));
        Assert.All(passedOn, t => Assert.Null(t.OnlineScore));
        Assert.All(passedOn, t => Assert.Equal((content.InputJson, null), (t.InputJson, t.CaptureDropped)));

        traces.Settled(passedOn);
        await scorer.StopAsync(CancellationToken.None);

        // Scored and handed on at the stop: each waiting trace's charge was released once, and its content charged by the queue.
        var scored = Drain(traces);
        Assert.Equal([$"{0:x32}", $"{1:x32}"], scored.Select(t => t.TraceId));
        Assert.All(scored, t => Assert.Equal((true, content.InputJson), (t.OnlineScore is not null, t.InputJson)));
        Assert.Equal(2 * 1_008, traces.CapturedBytes);
        traces.Settled(scored);
        Assert.Equal(0, traces.CapturedBytes);
    }

    private static List<TraceRecord> Drain(TraceQueue traces)
    {
        var list = new List<TraceRecord>();
        while (traces.Reader.TryRead(out var trace))
        {
            list.Add(trace);
        }

        return list;
    }
}
