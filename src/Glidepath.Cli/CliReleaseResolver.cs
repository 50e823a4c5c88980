using Glidepath.Environments;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Cli;

/// <summary>How every command turns a ref into a release: env: refs read the store, and a release to register is checked as its provider will serve it.</summary>
internal static class CliReleaseResolver
{
    public static ReleaseResolver ReleaseResolver(this CliContext ctx, IGlidepathStore store) => new(ctx.Manifest, store, ctx.Time)
    {
        EnvironmentStable = EnvironmentRefs.StableLookup(store, ctx.Manifest.App),
        Models = ctx.Env.ModelSpecs,
        StoreFile = ctx.StoreFile(),
    };

    /// <summary>
    /// Resolves <paramref name="reference"/> without registering it, runs <paramref name="check"/> (which throws every refusal
    /// of the command) on it, and only then registers it: a refused <c>promote working</c> or <c>rollout start git:HEAD</c>
    /// leaves no new vN behind. The release registered is the one checked (the working tree is read, and git run, once).
    /// The command's own action checks again, on the registered release, as the one that decides.
    /// </summary>
    public static async Task<Release> ResolveCheckedAsync(this CliContext ctx, IGlidepathStore store, string reference, Func<Release, Task> check, CancellationToken ct)
    {
        var resolver = ctx.ReleaseResolver(store);
        var resolved = await resolver.ResolveRefAsync(reference, ct);
        await check(resolved.Release);
        return await resolver.RegisterAsync(resolved, ct);
    }
}
