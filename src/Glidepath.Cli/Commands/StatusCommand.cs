using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath status</c>: every environment of the manifest, its stable release, owner, freeze and canary.</summary>
internal static class StatusCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("status", """
            Show every environment declared in the manifest: its stable release (v<N>+short id), since when
            and by whom, its owner, whether it is frozen, and the active canary if any.

            Example:
              glidepath status --format json
            """);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var manifest = ctx.Manifest;
            var store = await ctx.ExistingStoreAsync(ct);
            var views = new EnvironmentViews(await store.Releases.ListAsync(manifest.App, ct));
            var rows = new List<EnvironmentStatusView>();
            foreach (var spec in manifest.Environments)
            {
                rows.Add(views.Status(spec, await store.Environments.GetAsync(manifest.App, spec.Name, ct)));
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { app = manifest.App, environments = rows });
                return ExitCodes.Ok;
            }

            if (rows.Count == 0)
            {
                ctx.Output.Line($"The manifest declares no environments; add an 'environments:' section to {manifest.FilePath}.");
                return ExitCodes.Ok;
            }

            ctx.Output.Table(
                ["environment", "stable", "since (UTC)", "by", "owner", "requires", "frozen", "canary"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    r.Name,
                    r.Stable?.Label ?? "(none)",
                    TableText.Time(r.StableSince),
                    r.StableBy ?? "-",
                    r.Owner ?? "-",
                    r.Requires.Count == 0 ? "-" : string.Join(", ", r.Requires),
                    r.Frozen ? $"FROZEN: {r.FrozenReason}" : "no",
                    r.Canary is { } c ? $"{c.Release.Label} at {c.Weight.ToString("0.##", CultureInfo.InvariantCulture)}%" : "-",
                ]),
                title: $"{manifest.App}: environments");
            foreach (var r in rows.Where(r => r.Shadow is not null))
            {
                ctx.Output.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.Name}: shadow {r.Shadow!.ShadowId} mirrors {r.Shadow.Rate:0.###%} of stable's requests to {r.Shadow.Release.Label} (glidepath shadow status --env {r.Name})"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
