using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>Pairs are written in batches; a host that stops writes the ones still waiting instead of losing them.</summary>
public sealed class ShadowDrainTests
{
    [Fact]
    public async Task Stop_PairsWaitingForTheirBatch_AreWrittenBeforeTheHostEnds()
    {
        // A flush interval of an hour: no batch is written while the host runs, so every pair is still queued at the stop.
        await using var f = await ServingFixture.StartAsync(configure: o => o with { TraceFlushInterval = TimeSpan.FromHours(1) });
        await File.AppendAllTextAsync(Path.Combine(f.Directory, "prompts", "system.md"), "\n- The candidate's extra line.\n");
        var manifest = ManifestParser.Load(Path.Combine(f.Directory, "glidepath.yaml"));
        var v2 = (await f.Store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v2", TimeProvider.System, default), default)).Release;
        var state = await f.Store.Environments.GetAsync(manifest.App, "staging", default);
        await f.Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { Shadow = new ShadowState("sh-drain", v2.Id, 1, null, null) },
            Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 0, Kind = "shadow_start", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);
        await WaitAsync(() => f.Chat.Routes?.Shadow is not null, "the routing table to carry the shadow");
        var mirror = f.Services.GetServices<IHostedService>().OfType<ShadowMirror>().Single();

        for (var i = 0; i < 5; i++)
        {
            var request = new ChatRequest { Model = "support-agent", Messages = [new ChatMessage(ChatRole.User, $"Can I return shoes after {40 + i} days?")], Options = new ChatOptions() };
            using var call = f.Chat.Route(ServingFixture.Context(subject: $"user-{i}"), request)!;
            Assert.True(call.Prepare(request));
            Assert.NotNull(await call.GetResponseAsync(CancellationToken.None));
            call.Complete();
        }

        await WaitAsync(() => mirror.PendingPairs == 5, "all five pairs to be answered and queued");
        Assert.Equal(0, (await f.Store.Shadows.SpendAsync("sh-drain", default)).Pairs);

        await f.StopServicesAsync();

        Assert.Equal(5, (await f.Store.Shadows.SpendAsync("sh-drain", default)).Pairs);
        Assert.Equal((5L, 0L), (mirror.Mirrored, mirror.Failed));
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }

            await Task.Delay(20);
        }
    }
}
