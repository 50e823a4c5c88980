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

/// <summary>A shadow of a v2 (one more prompt line) started on a serving fixture, and calls routed through it.</summary>
internal static class ShadowSetup
{
    public static async Task<ShadowMirror> StartShadowAsync(ServingFixture f, string shadowId, double? maxCostUsd = null)
    {
        await File.AppendAllTextAsync(Path.Combine(f.Directory, "prompts", "system.md"), "\n- The candidate's extra line.\n");
        var manifest = ManifestParser.Load(Path.Combine(f.Directory, "glidepath.yaml"));
        var v2 = (await f.Store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v2", TimeProvider.System, default), default)).Release;
        var state = await f.Store.Environments.GetAsync(manifest.App, "staging", default);
        await f.Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { Shadow = new ShadowState(shadowId, v2.Id, 1, maxCostUsd, null) },
            Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 0, Kind = "shadow_start", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);
        await WaitAsync(() => Task.FromResult(f.Chat.Routes?.Shadow is not null), "the routing table to carry the shadow");
        return f.Services.GetServices<IHostedService>().OfType<ShadowMirror>().Single();
    }

    /// <param name="own">The app's own client (the SDK's inner-client mode), or null for the release's provider.</param>
    public static async Task CallAsync(ServingFixture f, int count, IChatClient? own = null, string? model = null)
    {
        for (var i = 0; i < count; i++)
        {
            var request = new ChatRequest { Model = "support-agent", Messages = [new ChatMessage(ChatRole.User, $"Can I return shoes after {40 + i} days?")], Options = new ChatOptions { ModelId = model } };
            using var call = f.Chat.Route(ServingFixture.Context(subject: $"user-{Guid.NewGuid():N}"), request)!;
            Assert.True(own is null ? call.Prepare(request) : call.PrepareFor(request, own));
            Assert.NotNull(await call.GetResponseAsync(CancellationToken.None));
            call.Complete();
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what)
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
}
