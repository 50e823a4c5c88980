using System.Collections.Concurrent;
using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Routing;

namespace Glidepath.Serving.Routing;

/// <summary>Builds and caches a <see cref="ServingRelease"/> per release id (releases are immutable, clients thread-safe).</summary>
internal sealed class ServingReleases(ServingOptions settings)
{
    private readonly ConcurrentDictionary<string, ServingRelease> _cache = new(StringComparer.Ordinal);
    private readonly PriceTable _prices = PriceTable.For(settings.Manifest);

    private readonly ConcurrentDictionary<string, ServingRelease> _shadows = new(StringComparer.Ordinal);

    public ServingRelease Get(RoutedRelease release) =>
        _cache.TryGetValue(release.Id, out var serving) ? serving : _cache.GetOrAdd(release.Id, _ => Build(release));

    /// <summary>
    /// The release as a shadow candidate: its clients draw on their own pool of the provider's slots
    /// (<see cref="ModelClientOptions.Lane"/>), so a candidate that hangs cannot hold the slots callers are served from.
    /// </summary>
    public ServingRelease GetShadow(RoutedRelease release) =>
        _shadows.TryGetValue(release.Id, out var serving) ? serving : _shadows.GetOrAdd(release.Id, _ => Build(release, ShadowLane));

    /// <summary>The name of the shadow calls' pool of provider slots.</summary>
    public const string ShadowLane = "shadow";

    /// <summary>
    /// Builds the table's releases (stable, canary, shadow) ahead of their first request, which resolves each provider's
    /// settings (its key's environment variable, where it needs one) without calling it; returns those that cannot be
    /// built. A request routed to one is refused with a 503 and a log line, as before: building is tried again then.
    /// </summary>
    public ReleaseReadiness.Snapshot Warm(RoutingTable table)
    {
        List<UnservableRelease>? unservable = null;
        Check(table.Stable, Arm.Stable, ref unservable);
        Check(table.Canary?.Release, Arm.Canary, ref unservable);
        Check(table.Shadow?.Release, Arm.Shadow, ref unservable, shadow: true);
        return unservable is null ? ReleaseReadiness.Snapshot.AllServable : new ReleaseReadiness.Snapshot(unservable);
    }

    private void Check(RoutedRelease? release, string arm, ref List<UnservableRelease>? unservable, bool shadow = false)
    {
        if (release is null)
        {
            return;
        }

        try
        {
            _ = (shadow ? GetShadow(release) : Get(release)).Client;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            (unservable ??= []).Add(new UnservableRelease(arm, release.Label, Reason(ex), PublicReason(ex)));
        }
    }

    // Glidepath's own configuration messages name a setting or an environment variable, never a value; a custom factory's
    // exception may say anything, so a caller without a token is sent to the log for it.
    private static string Reason(Exception ex) =>
        ex is ProviderException { Failure: ProviderFailure.Configuration } configuration ? configuration.ProviderMessage : ex.Message;

    private static string PublicReason(Exception ex) => ex switch
    {
        ProviderException { Failure: ProviderFailure.Configuration } configuration => configuration.ProviderMessage,
        BadInputException => ex.Message,
        _ => "its model client cannot be built; the reason is in the log",
    };

    /// <summary>The manifest's price of a model (a host's own client names its model), or null when it has none.</summary>
    public Glidepath.Manifests.ModelPrice? PriceOf(string? model) => model is null ? null : _prices.Find(model);

    private ServingRelease Build(RoutedRelease release, string? lane = null)
    {
        var model = release.Snapshot.Model;
        var providerSettings = ProviderSettingsResolver.Resolve(settings.Manifest, model.Provider, settings.Environment);
        var options = new ModelClientOptions { Environment = settings.Environment, MaxQueueWait = settings.ProviderQueueWait, Lane = lane };
        var forwarders = settings.Models as Glidepath.Providers.Forwarding.IModelForwarderFactory;
        return new ServingRelease(() => settings.Models.Create(model, providerSettings, options), () => forwarders?.CreateForwarder(model, providerSettings, options))
        {
            Release = release,
            Applier = new ReleaseApplier(release.Snapshot),
            Price = _prices.Find(model.Name),
        };
    }
}
