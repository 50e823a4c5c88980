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
    };
}
