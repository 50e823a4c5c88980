using System.Net;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Releases;
using Glidepath.Routing;
using Glidepath.Serving;
using Glidepath.Serving.Routing;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// An outside trial restarted a gateway from a shell where its provider's key variable was not exported: <c>/readyz</c>
/// said <c>ready</c>, nothing was logged at start, and every request was refused 503 (<c>configuration</c>), so a load
/// balancer kept sending it traffic. Each release's model client is now built when the routing table loads (at start
/// and at every reload), and <c>/readyz</c> reads that check: 503 when stable cannot be served, <c>degraded</c> when only
/// the canary or the shadow cannot. The release here is on Anthropic; its key variable is faked unset (never called).
/// </summary>
public sealed class ProviderKeyReadyTests
{
    private const string KeyVariable = "ANTHROPIC_API_KEY";
    private const string Unset = "environment variable ANTHROPIC_API_KEY is not set; export it with the provider's API key (providers.anthropic.api_key_env names it)";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Readyz_StableProviderKeyVariable_Unset503NotReadyNamingTheVariable_SetReady(bool keySet)
    {
        await using var f = await GatewayFixture.CreateAsync();
        var onAnthropic = await RegisterOnAnthropicAsync(f.World);
        await f.SetAsync(s => s with { StableReleaseId = onAnthropic.Id }, "deploy");
        using var models = Models(f, keySet);
        await f.StartAsync(s => s with { Models = models });

        using var response = await f.Http.GetAsync(f.Url + "/readyz");
        var ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        if (keySet)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(("ready", "ready"), (ready.GetProperty("status").GetString(), ready.GetProperty("traffic").GetString()));
            Assert.Equal(JsonValueKind.Null, ready.GetProperty("traffic_reason").ValueKind);
            return;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(("not_ready", "stable_not_servable"), (ready.GetProperty("status").GetString(), ready.GetProperty("traffic").GetString()));
        Assert.Equal("the stable release cannot be served: " + Unset, ready.GetProperty("traffic_reason").GetString());
    }

    [Theory]
    [InlineData(Arm.Canary)]
    [InlineData(Arm.Shadow)]
    public async Task Readyz_OnlyCanaryOrShadowKeyVariableUnset_AfterAReload_Degraded200_ReasonWithoutTheRelease(string arm)
    {
        await using var f = await GatewayFixture.CreateAsync();
        var onAnthropic = await RegisterOnAnthropicAsync(f.World);
        using var models = Models(f, keySet: false);
        await f.StartAsync(s => s with { Models = models });
        await f.ReadyUntilAsync(r => r.GetProperty("status").GetString() == "ready");

        var state = await f.SetAsync(s => arm == Arm.Canary
            ? s with { Canary = new CanaryState(onAnthropic.Id, 5, "seed") }
            : s with { Shadow = new ShadowState("sh-key", onAnthropic.Id, 1, null, null) }, arm == Arm.Canary ? "canary_set" : EnvironmentEventKinds.ShadowStart);
        var ready = await f.ReadyUntilAsync(r => r.GetProperty("revision").GetInt64() >= state.Revision && r.GetProperty("status").GetString() != "ready");
        using var response = await f.Http.GetAsync(f.Url + "/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("degraded", "ready"), (ready.GetProperty("status").GetString(), ready.GetProperty("traffic").GetString()));
        Assert.Equal("a release served besides stable cannot be served: " + Unset, ready.GetProperty("traffic_reason").GetString());
    }

    [Fact]
    public async Task TableLoad_StableKeyVariableUnset_WarnsOnceAtStart_NotAgainOnReload_AndOnceForANewRelease()
    {
        await using var world = await ServingWorld.CreateAsync(prefix: "gp-gw-");
        var onAnthropic = await RegisterOnAnthropicAsync(world);
        await world.SetAsync(s => s with { StableReleaseId = onAnthropic.Id }, "deploy");
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(world.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => null });
        await using var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>))
            .AddGlidepathServing(world.ServingOptions() with { Models = models }).BuildServiceProvider();
        await services.GetServices<IHostedService>().OfType<RoutingStartup>().Single().StartAsync(CancellationToken.None);
        var refresher = services.GetServices<IHostedService>().OfType<RoutingRefresher>().Single();
        var readiness = services.GetRequiredService<ReleaseReadiness>();
        var log = (CapturedLog<ReleaseReadiness>)services.GetRequiredService<ILogger<ReleaseReadiness>>();

        var atStart = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        await world.SetAsync(s => s with { Frozen = true, FrozenReason = "a reload of the same releases" }, "freeze");
        await refresher.RefreshAsync(CancellationToken.None);
        var afterReload = log.Lines.Count(l => l.Level == LogLevel.Warning);
        var other = await RegisterOnAnthropicAsync(world, "another-model");
        await world.SetAsync(s => s with { Canary = new CanaryState(other.Id, 5, "seed") }, "canary_set");
        await refresher.RefreshAsync(CancellationToken.None);

        Assert.StartsWith($"Release {onAnthropic.Label} (stable in staging) cannot be served: {Unset}. Every request routed (or mirrored) to it fails", atStart.Text, StringComparison.Ordinal);
        Assert.Equal(1, afterReload);
        Assert.Equal(2, log.Lines.Count(l => l.Level == LogLevel.Warning));
        Assert.True(readiness.Current.StableUnservable);
        Assert.Equal(
            $"stable {onAnthropic.Label} cannot be served: {Unset}; canary {other.Label} cannot be served: {Unset}",
            readiness.Current.Reason);
    }

    /// <summary>A release of the world's app on Anthropic (registered, not deployed); its model is <paramref name="model"/> when given.</summary>
    private static async Task<Release> RegisterOnAnthropicAsync(ServingWorld world, string? model = null)
    {
        var yaml = await File.ReadAllTextAsync(world.ManifestPath);
        var edited = yaml.Replace("provider: sim", "provider: anthropic", StringComparison.Ordinal);
        if (model is not null)
        {
            edited = edited.Replace("name: stable-model", "name: " + model, StringComparison.Ordinal);
        }

        Assert.NotEqual(yaml, edited);
        await File.WriteAllTextAsync(world.ManifestPath, edited);
        try
        {
            var draft = await ReleaseDrafts.FromWorkingTreeAsync(world.LoadManifest(), "on anthropic", TimeProvider.System, default);
            return (await world.Store.Releases.RegisterAsync(draft, default)).Release;
        }
        finally
        {
            await File.WriteAllTextAsync(world.ManifestPath, yaml);
        }
    }

    /// <summary>The real providers pipeline with the key variable set or not; nothing here calls the provider.</summary>
    private static ModelClientFactory Models(GatewayFixture f, bool keySet) =>
        new(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults
        {
            GetEnvironmentVariable = name => keySet && name == KeyVariable ? "sk-test-4f9Qz7Xw2Lk8" : null,
        });
}
