using System.Collections.Concurrent;
using System.Text.Json;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Forwarding;

/// <summary>Builds and caches a <see cref="ServingRelease"/> per release id (releases are immutable, clients thread-safe).</summary>
internal sealed class ServingReleases(GatewaySettings settings)
{
    private readonly ConcurrentDictionary<string, ServingRelease> _cache = new(StringComparer.Ordinal);

    public ServingRelease Get(RoutedRelease release) =>
        _cache.TryGetValue(release.Id, out var serving) ? serving : _cache.GetOrAdd(release.Id, _ => Build(release));

    private ServingRelease Build(RoutedRelease release)
    {
        var model = release.Snapshot.Model;
        var manifest = settings.Manifest;
        var providerSettings = manifest.Providers.TryGetValue(model.Provider, out var baseSettings) ? baseSettings : new ProviderSettings();
        if (manifest.FindEnvironment(settings.Environment)?.Providers.TryGetValue(model.Provider, out var overrides) == true)
        {
            providerSettings = providerSettings.Merge(overrides);
        }

        var client = settings.Models.Create(model, providerSettings, new ModelClientOptions { Environment = settings.Environment });
        var tools = new List<AITool>(release.Snapshot.Tools.Count);
        foreach (var tool in release.Snapshot.Tools)
        {
            using var doc = JsonDocument.Parse(tool.InputSchema.ToJsonString());
            tools.Add(AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, doc.RootElement.Clone()));
        }

        return new ServingRelease
        {
            Release = release,
            Client = client,
            Tools = tools,
            Price = manifest.Prices.TryGetValue(model.Name, out var price) ? price : null,
        };
    }
}
