using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary>
/// <c>glidepath status</c>: every environment of the manifest, its stable release, owner, freeze and canary (with
/// <c>--server</c>, those the token holds a role in).
/// </summary>
internal static class StatusCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("status", """
            Show every environment declared in the manifest: its stable release (v<N>+short id), since when
            and by whom, its owner, whether it is frozen, the active canary if any, and its revision (rev: the
            number 'rollback --expect-revision' takes). With --server, only the environments the token holds a
            role in.

            Example:
              glidepath status --format json
            """);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var json = await remote.GetAsync("status", ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                var answer = Remote.RemoteJson.Read<Remote.Answers.StatusAnswer>(json);
                return Write(ctx, answer.App, answer.Environments, "The server lists no environment this token holds a role in.");
            }

            var manifest = ctx.Manifest;
            var store = await ctx.ReadStoreAsync(ct);
            var rows = await EnvironmentReports.StatusRowsAsync(manifest, store, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(EnvironmentReports.Status(manifest.App, rows));
                return ExitCodes.Ok;
            }

            return Write(ctx, manifest.App, rows, $"The manifest declares no environments; add an 'environments:' section to {manifest.FilePath}.");
        });
        return command;
    }

    private static int Write(CliContext ctx, string app, IReadOnlyList<EnvironmentStatusView> rows, string whenNone)
    {
        if (rows.Count == 0)
        {
            ctx.Output.Line(whenNone);
            return ExitCodes.Ok;
        }

        ctx.Output.Table(
            ["environment", "rev", "stable", "since (UTC)", "by", "owner", "requires", "frozen", "canary"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.Name,
                r.Revision.ToString(CultureInfo.InvariantCulture),
                r.Stable?.Label ?? "(none)",
                TableText.Time(r.StableSince),
                r.StableBy ?? "-",
                r.Owner ?? "-",
                r.Requires.Count == 0 ? "-" : string.Join(", ", r.Requires),
                r.Frozen ? $"FROZEN: {r.FrozenReason}" : "no",
                r.Canary is { } c ? $"{c.Release.Label} at {c.Weight.ToString("0.##", CultureInfo.InvariantCulture)}%{(r.Frozen ? " (no traffic while frozen)" : "")}" : "-",
            ]),
            title: $"{app}: environments");
        foreach (var r in rows.Where(r => r.RolloutWarning is not null))
        {
            var line = $"  {r.Name}: rollout held — {r.RolloutWarning}";
            ctx.Output.Line(line, $"[yellow]{Spectre.Console.Markup.Escape(line)}[/]");
        }

        foreach (var r in rows.Where(r => r.Shadow is not null))
        {
            var shadow = r.Shadow!;
            var what = shadow switch
            {
                { CandidateIsStable: true } => $"of {shadow.Release.Label} mirrors nothing: {shadow.Release.Label} is now the stable release (end it: glidepath shadow stop --env {r.Name})",
                { CapReached: true } => $"of {shadow.Release.Label} mirrors nothing: its cap is reached (glidepath shadow status --env {r.Name}; end it: glidepath shadow stop --env {r.Name})",
                _ => string.Create(CultureInfo.InvariantCulture, $"mirrors {FigureText.Percent(shadow.Rate)} of stable's requests to {shadow.Release.Label} (glidepath shadow status --env {r.Name})"),
            };
            ctx.Output.Line($"  {r.Name}: shadow {shadow.ShadowId} {what}");
        }

        return ExitCodes.Ok;
    }
}
