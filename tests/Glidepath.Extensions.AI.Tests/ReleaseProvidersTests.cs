using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Releases;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// The SDK shares the gateway's check of each release's provider settings at table load: an app started without its
/// provider's key variable sees it in <see cref="GlidepathRuntime.ReleaseProviders"/>, as a gateway's <c>/readyz</c> says it.
/// </summary>
public sealed class ReleaseProvidersTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReleaseProviders_StableOnAnthropic_UnservableExactlyWhenTheKeyVariableIsUnset(bool keySet)
    {
        await using var world = await ServingWorld.CreateAsync();
        var yaml = await File.ReadAllTextAsync(world.ManifestPath);
        await File.WriteAllTextAsync(world.ManifestPath, yaml.Replace("provider: sim", "provider: anthropic", StringComparison.Ordinal));
        var onAnthropic = (await world.Store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(world.LoadManifest(), "on anthropic", TimeProvider.System, default), default)).Release;
        await File.WriteAllTextAsync(world.ManifestPath, yaml);
        await world.SetAsync(s => s with { StableReleaseId = onAnthropic.Id }, "deploy");
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(world.Manifest), defaults: new ModelClientDefaults
        {
            GetEnvironmentVariable = name => keySet && name == "ANTHROPIC_API_KEY" ? "sk-test-4f9Qz7Xw2Lk8" : null,
        });
        await using var host = await SdkHost.StartAsync(world, models: models);

        var providers = host.Runtime.ReleaseProviders;

        Assert.Equal(!keySet, providers.StableUnservable);
        Assert.Equal(
            keySet ? null : $"stable {onAnthropic.Label} cannot be served: environment variable ANTHROPIC_API_KEY is not set; export it with the provider's API key (providers.anthropic.api_key_env names it)",
            providers.Reason);
    }
}
