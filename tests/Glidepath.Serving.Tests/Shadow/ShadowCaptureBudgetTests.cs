using Glidepath.Routing;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>
/// A request waiting to be mirrored holds the caller's messages and the stable answer: the shadow queue (1,000) is charged
/// to the gateway's one capture budget, and each charge is released once, whatever becomes of the request.
/// </summary>
public sealed class ShadowCaptureBudgetTests
{
    [Fact]
    public async Task Offer_QueuedRequestsOverTheCaptureBudget_NotMirroredCountedAndReleasedAtTheStop()
    {
        await using var f = await ServingFixture.StartAsync();
        await ShadowSetup.StartShadowAsync(f, "sh-budget");
        var shadow = f.Chat.Routes!.Shadow!;
        var traces = new TraceQueue(10, captureBudgetBytes: 20_000); // the shadow and scoring may hold half: 10,000
        using var mirror = new ShadowMirror(f.Options, f.Services.GetRequiredService<RoutingTableSource>(), traces, () => f.Chat, null, NullLogger<ShadowMirror>.Instance);
        // A start token already cancelled leaves the workers unrun: what is offered waits in the queue.
        await mirror.StartAsync(new CancellationToken(canceled: true));
        var question = new string('q', 2_000); // 4,000 bytes as held, 4,008 with the answer

        for (var i = 0; i < 4; i++)
        {
            mirror.Offer(new ShadowJob(shadow, [new ChatMessage(ChatRole.User, question)], new ChatOptions(), null, TestTraces.Stable(i), "Yes."));
        }

        Assert.Equal(2 * 4_008, traces.CapturedBytes);
        Assert.Equal((2L, 2L, 0L), (traces.Budget.ShadowSkipped, mirror.Counters.DroppedFor(ShadowCounters.CaptureBudget), mirror.Counters.DroppedFor(ShadowCounters.QueueFull)));

        await mirror.StopAsync(CancellationToken.None);

        Assert.Equal((2L, 4L), (mirror.Counters.DroppedFor(ShadowCounters.Stopped), mirror.Dropped));
        Assert.Equal(0, traces.CapturedBytes);
    }

    [Fact]
    public async Task Mirror_RequestsMirroredAndStored_EveryChargeReleased()
    {
        await using var f = await ServingFixture.StartAsync();
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-released");
        var traces = f.Services.GetRequiredService<TraceQueue>();

        await ShadowSetup.CallAsync(f, 3);
        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Mirrored == 3), "three pairs stored");
        await f.StopServicesAsync(); // the trace writer writes the candidates' traces and lets their content go

        Assert.Equal((0L, 0L), (traces.CapturedBytes, traces.Unwritten));
        Assert.Equal(0, mirror.Dropped);
    }
}
