using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Cli.Commands;

/// <summary>
/// The <c>warning:</c> lines on stderr for environment <c>vars:</c> keys no template of a release uses, at the manifest's
/// line (<see cref="UnusedEnvironmentVars"/>, the rule deploy and promote note): never on stdout, where --format json writes,
/// and never a change of the exit code (the value only does nothing).
/// </summary>
internal static class EnvironmentVarWarnings
{
    public static void Print(CliContext ctx, Manifest manifest, IEnumerable<EnvironmentSpec> specs, Release release)
    {
        var file = Path.GetFileName(manifest.FilePath);
        foreach (var spec in specs)
        {
            foreach (var line in UnusedEnvironmentVars.Problems(spec, release, file))
            {
                ctx.Output.Note("warning: " + line);
            }
        }
    }
}
