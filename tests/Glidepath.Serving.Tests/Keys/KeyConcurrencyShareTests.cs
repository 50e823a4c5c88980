using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Routing;
using Glidepath.Serving.Keys;
using Glidepath.Storage.InMemory;

namespace Glidepath.Serving.Tests.Keys;

/// <summary>
/// Outside trial segments M2: the sample's unused <c>anthropic</c> entry, at its default 16 slots, held every caller key
/// to 8 requests at once while the releases' provider (openai) had 128: 429s on 6.6% of one key's requests, and the 429
/// did not say what set the figure. Only the providers the routed releases use count now, and the 429 names the one.
/// </summary>
public sealed class KeyConcurrencyShareTests
{
    private const string Yaml = """
        app: support-agent
        release:
          model: { provider: openai, name: gpt-x }
          prompt: { system: system.md }
        providers:
          anthropic: { base_url: https://api.anthropic.com, api_key_env: ANTHROPIC_API_KEY }
          openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY, max_concurrency: 128 }
        environments:
          production: {}
        """;

    private static ServingOptions Options(int? keyMaxInFlight = null)
    {
        using var dir = new Glidepath.Testing.TempDir();
        File.WriteAllText(System.IO.Path.Combine(dir.Path, "system.md"), "You help.");
        var manifest = ManifestParser.Parse(Yaml, "glidepath.yaml", new Glidepath.Files.WorkingTreeFileSource(dir.Path));
        var models = new Glidepath.Providers.ModelClientFactory(TimeProvider.System, Glidepath.Models.PriceTable.For(manifest));
        return ServingOptions.For(new InMemoryStore(), manifest, "production", models) with { KeyMaxInFlight = keyMaxInFlight };
    }

    private static RoutedRelease Release(string provider, int version) => new($"{version:x16}", version, new ReleaseSnapshot
    {
        Model = new ModelSpec { Provider = provider, Name = "m" }, SystemPrompt = "", SystemPromptPath = "s.md", ToolFiles = [], Tools = [], Files = new Dictionary<string, byte[]>(),
    });

    private static RoutingTable Table(string stable, string? canary = null) => new()
    {
        App = "support-agent",
        Environment = "production",
        Revision = 1,
        Stable = Release(stable, 1),
        Canary = canary is null ? null : new CanaryRoute(Release(canary, 2), 0.25, "seed"),
        LoadedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Of_ReleasesOnOneProvider_HalfOfItsSlots_AnUnusedProviderDoesNotCount()
    {
        var share = KeyConcurrencyShare.Of(Options(), Table("openai"));

        Assert.Equal((64, "openai", 128), (share.Slots, share.Provider, share.ProviderSlots));
        Assert.Equal("half of providers.openai.max_concurrency 128, the smallest among the providers its requests may reach", share.Source);
    }

    [Fact]
    public void Of_ACanaryOnAnotherProvider_TheSmallerOfTheTwo()
    {
        var share = KeyConcurrencyShare.Of(Options(), Table("openai", canary: "anthropic"));

        Assert.Equal((8, "anthropic", 16), (share.Slots, share.Provider, share.ProviderSlots));
        Assert.Equal("half of provider anthropic's max_concurrency, unset so 16, the smallest among the providers its requests may reach", share.Source); // a review: not named as if the manifest set it
    }

    [Fact]
    public void Of_BeforeATableIsLoaded_EveryConfiguredProvider_AndTheServingOptionWins()
    {
        Assert.Equal((8, "anthropic"), (KeyConcurrencyShare.Of(Options()).Slots, KeyConcurrencyShare.Of(Options()).Provider));
        var set = KeyConcurrencyShare.Of(Options(keyMaxInFlight: 5), Table("openai"));
        Assert.Equal((5, "ServingOptions.KeyMaxInFlight"), (set.Slots, set.Source));
    }
}
