using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Environments;

/// <summary>Resolves <c>env:NAME</c> refs: the environment's stable release, read from the store.</summary>
public static class EnvironmentRefs
{
    /// <summary>A lookup for <see cref="ReleaseResolver.EnvironmentStable"/>.</summary>
    public static Func<string, CancellationToken, Task<Release?>> StableLookup(IGlidepathStore store, string app)
    {
        ArgumentNullException.ThrowIfNull(store);
        return async (environment, cancellationToken) =>
        {
            var state = await store.Environments.GetAsync(app, environment, cancellationToken).ConfigureAwait(false);
            return state.StableReleaseId is { } id
                ? await store.Releases.GetByIdAsync(app, id, cancellationToken).ConfigureAwait(false)
                : null;
        };
    }
}
