using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tests.Support;
using Glidepath.Shadow;
using Glidepath.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>
/// A trial: during a store outage answered candidate calls were paid for, but their pairs were thrown away (and their
/// spend taken back from the cap). A batch the store refuses is kept and written again once it takes it.
/// </summary>
public sealed class ShadowPairRetryTests
{
    [Fact]
    public async Task StoreRefusesTheFirstBatches_PairsKeptAndWrittenOnceItTakesThem_NoneCountedFailed()
    {
        var flaky = (RefusingShadowStore?)null;
        await using var f = await ServingFixture.StartAsync(configure: o => o with { Shadows = flaky = new RefusingShadowStore(o.Shadows!, refusals: 2) });
        await File.AppendAllTextAsync(Path.Combine(f.Directory, "prompts", "system.md"), "\n- The candidate's extra line.\n");
        var manifest = ManifestParser.Load(Path.Combine(f.Directory, "glidepath.yaml"));
        var v2 = (await f.Store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v2", TimeProvider.System, default), default)).Release;
        var state = await f.Store.Environments.GetAsync(manifest.App, "staging", default);
        await f.Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { Shadow = new ShadowState("sh-retry", v2.Id, 1, null, null) },
            Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 0, Kind = "shadow_start", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);
        await WaitAsync(() => Task.FromResult(f.Chat.Routes?.Shadow is not null), "the routing table to carry the shadow");
        var mirror = f.Services.GetServices<IHostedService>().OfType<ShadowMirror>().Single();

        for (var i = 0; i < 3; i++)
        {
            var request = new ChatRequest { Model = "support-agent", Messages = [new ChatMessage(ChatRole.User, $"Can I return shoes after {40 + i} days?")], Options = new ChatOptions() };
            using var call = f.Chat.Route(ServingFixture.Context(subject: $"user-{i}"), request)!;
            Assert.True(call.Prepare(request));
            Assert.NotNull(await call.GetResponseAsync(CancellationToken.None));
            call.Complete();
        }

        await WaitAsync(async () => (await f.Store.Shadows.SpendAsync("sh-retry", default)).Pairs == 3, "the three pairs to be stored after the refusals");

        Assert.Equal(2, flaky!.Refused);
        Assert.Equal((3L, 0L), (mirror.Mirrored, mirror.Failed));
        Assert.Equal(0, mirror.PendingPairs);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Refuses the first writes (an outage), then passes them on; reads always pass.</summary>
    private sealed class RefusingShadowStore(IShadowStore inner, int refusals) : IShadowStore
    {
        private int _writes;
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public Task WriteAsync(IReadOnlyList<ShadowPairRecord> pairs, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _writes) <= refusals)
            {
                Interlocked.Increment(ref _refused);
                throw new Glidepath.Errors.OperationalException("the store is down (test)");
            }

            return inner.WriteAsync(pairs, cancellationToken);
        }

        public Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken) => inner.PairsAsync(shadowId, cancellationToken);

        public Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken) => inner.SpendAsync(shadowId, cancellationToken);
    }
}
