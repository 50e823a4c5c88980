using System.Collections.Concurrent;
using Glidepath.Models;
using Glidepath.Routing;

namespace Glidepath.Serving.Routing;

/// <summary>Builds and caches a <see cref="ServingRelease"/> per release id (releases are immutable, clients thread-safe).</summary>
internal sealed class ServingReleases(ServingOptions settings)
{
    private readonly ConcurrentDictionary<string, ServingRelease> _cache = new(StringComparer.Ordinal);
    private readonly PriceTable _prices = PriceTable.For(settings.Manifest);

    public ServingRelease Get(RoutedRelease release) =>
        _cache.TryGetValue(release.Id, out var serving) ? serving : _cache.GetOrAdd(release.Id, _ => Build(release));

    /// <summary>Builds the table's releases ahead of their first request; a failure shows on that request instead.</summary>
    public void Warm(RoutingTable table)
    {
        foreach (var release in (RoutedRelease?[])[table.Stable, table.Canary?.Release])
        {
            if (release is null)
            {
                continue;
            }

            try
            {
                _ = Get(release).Client;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Reported with a 503 and a log line when a request is routed to it.
            }
        }
    }

    /// <summary>The manifest's price of a model (a host's own client names its model), or null when it has none.</summary>
    public Glidepath.Manifests.ModelPrice? PriceOf(string? model) => model is null ? null : _prices.Find(model);

    private ServingRelease Build(RoutedRelease release)
    {
        var model = release.Snapshot.Model;
        var providerSettings = ProviderSettingsResolver.Resolve(settings.Manifest, model.Provider, settings.Environment);
        var options = new ModelClientOptions { Environment = settings.Environment, MaxQueueWait = settings.ProviderQueueWait };
        var forwarders = settings.Models as Glidepath.Providers.Forwarding.IModelForwarderFactory;
        return new ServingRelease(() => settings.Models.Create(model, providerSettings, options), () => forwarders?.CreateForwarder(model, providerSettings, options))
        {
            Release = release,
            Applier = new ReleaseApplier(release.Snapshot),
            Price = _prices.Find(model.Name),
        };
    }
}
