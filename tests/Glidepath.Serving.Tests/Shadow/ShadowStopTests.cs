using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Routing;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>Requests sampled for a shadow that is stopped (or frozen) before they are mirrored are counted, not lost silently.</summary>
public sealed class ShadowStopTests
{
    // A trial stopped a shadow with four requests queued: none was mirrored, and no glidepath_shadow_* counter moved.
    [Theory]
    [InlineData(false, ShadowCounters.ShadowEnded)]
    [InlineData(true, ShadowCounters.Frozen)]
    public async Task Complete_ShadowStoppedOrFrozenAfterTheCallWasSampled_CountedAsDroppedWithThatReason(bool freeze, string reason)
    {
        await using var f = await ServingFixture.StartAsync();
        var manifest = ManifestParser.Load(Path.Combine(f.Directory, "glidepath.yaml"));
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-stop");

        // Sampled while the shadow is on; the shadow ends before the answers complete and reach the queue.
        var calls = new List<ChatCall>();
        for (var i = 0; i < 3; i++)
        {
            var request = new ChatRequest { Model = "support-agent", Messages = [new ChatMessage(ChatRole.User, $"Can I return shoes after {40 + i} days?")], Options = new ChatOptions() };
            var call = f.Chat.Route(ServingFixture.Context(subject: $"user-{i}"), request)!;
            Assert.True(call.Prepare(request));
            Assert.NotNull(await call.GetResponseAsync(CancellationToken.None));
            calls.Add(call);
        }

        await ChangeAsync(f, manifest.App, s => freeze ? s with { Frozen = true, FrozenReason = "incident" } : s with { Shadow = null }, freeze ? "freeze" : "shadow_stop");
        await ShadowSetup.WaitAsync(() => Task.FromResult(freeze ? f.Chat.Routes?.Frozen == true : f.Chat.Routes?.Shadow is null), "the routing table to drop the shadow");
        foreach (var call in calls)
        {
            call.Complete();
            call.Dispose();
        }

        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Counters.DroppedFor(reason) == 3), $"three requests dropped for {reason}");
        Assert.Equal((3L, 0L, 0L, 0L, 0L), (mirror.Dropped, mirror.Counters.DroppedFor(ShadowCounters.QueueFull), mirror.Mirrored, mirror.Capped, mirror.Failed));
        Assert.Equal(0, (await f.Store.Shadows.SpendAsync("sh-stop", default)).Pairs);
    }

    // BackgroundService (.NET 10) starts ExecuteAsync on the thread pool with the stopping token: a stop that comes before
    // the pool ran it cancels the workers unrun, and the jobs queued meanwhile were neither mirrored nor counted. A start
    // token already cancelled cancels them unrun the same way, deterministically.
    [Fact]
    public async Task StopAsync_WorkersCancelledBeforeTheyRan_QueuedJobsCountedAsDroppedStopped()
    {
        await using var f = await ServingFixture.StartAsync();
        await ShadowSetup.StartShadowAsync(f, "sh-unrun");
        var shadow = f.Chat.Routes!.Shadow!;
        using var mirror = new ShadowMirror(f.Options, f.Services.GetRequiredService<RoutingTableSource>(), new TraceQueue(10), () => f.Chat, null,
            NullLogger<ShadowMirror>.Instance);
        await mirror.StartAsync(new CancellationToken(canceled: true));
        for (var i = 0; i < 2; i++)
        {
            mirror.Offer(new ShadowJob(shadow, [new ChatMessage(ChatRole.User, "Can I return shoes?")], new ChatOptions(), null, TestTraces.Stable(i), "Yes."));
        }

        await mirror.StopAsync(CancellationToken.None);
        Assert.Equal((2L, 2L, 0L), (mirror.Counters.DroppedFor(ShadowCounters.Stopped), mirror.Dropped, mirror.Mirrored));

        // An answer that completes after the stop is counted too, as stopped (not as a full queue).
        mirror.Offer(new ShadowJob(shadow, [new ChatMessage(ChatRole.User, "Can I return shoes?")], new ChatOptions(), null, TestTraces.Stable(2), "Yes."));
        Assert.Equal((3L, 0L), (mirror.Counters.DroppedFor(ShadowCounters.Stopped), mirror.Counters.DroppedFor(ShadowCounters.QueueFull)));
    }


    private static async Task ChangeAsync(ServingFixture f, string app, Func<EnvironmentState, EnvironmentState> change, string kind)
    {
        var state = await f.Store.Environments.GetAsync(app, "staging", default);
        await f.Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = app,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = change(state),
            Event = new EnvironmentEvent { App = app, Environment = "staging", Revision = 0, Kind = kind, Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);
    }
}
