using System.Collections.Concurrent;
using Glidepath.Environments;
using Glidepath.Storage;

namespace Glidepath.Routing;

/// <summary>
/// Builds a <see cref="RoutingTable"/> from the store: the environment's state plus the releases it points
/// at. Parsed releases are cached by id (they are immutable), so a reload only reads what changed.
/// </summary>
public sealed class RoutingTableLoader(IEnvironmentStore environments, IReleaseStore releases, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RoutedRelease> _cache = new(StringComparer.Ordinal);

    public Task<long> RevisionAsync(string app, string environment, CancellationToken cancellationToken) =>
        environments.GetRevisionAsync(app, environment, cancellationToken);

    public async Task<RoutingTable> LoadAsync(string app, string environment, CancellationToken cancellationToken)
    {
        var state = await environments.GetAsync(app, environment, cancellationToken).ConfigureAwait(false);
        return await BuildAsync(state, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RoutingTable> BuildAsync(EnvironmentState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var stable = state.StableReleaseId is { } sid ? await ReleaseAsync(state.App, sid, cancellationToken).ConfigureAwait(false) : null;
        CanaryRoute? canary = null;
        if (state.Canary is { } c)
        {
            canary = new CanaryRoute(await ReleaseAsync(state.App, c.ReleaseId, cancellationToken).ConfigureAwait(false), Math.Clamp(c.Weight, 0, 100), c.Seed);
        }

        ShadowRoute? shadow = null;
        if (state.Shadow is { } sh)
        {
            shadow = new ShadowRoute(sh.ShadowId, await ReleaseAsync(state.App, sh.ReleaseId, cancellationToken).ConfigureAwait(false), sh.Rate, sh.MaxCostUsd, sh.MaxRequests);
        }

        return new RoutingTable
        {
            App = state.App,
            Environment = state.Name,
            Revision = state.Revision,
            Stable = stable,
            Canary = canary,
            Shadow = shadow,
            Frozen = state.Frozen,
            LoadedAt = time.GetUtcNow(),
        };
    }

    private async Task<RoutedRelease> ReleaseAsync(string app, string id, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var release = await releases.GetByIdAsync(app, id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"environment points at release {id[..Math.Min(8, id.Length)]} of '{app}', which is not in the store");
        return _cache.GetOrAdd(id, RoutedRelease.From(release));
    }
}
