using System.CommandLine;
using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath env diff A B</c>: the parity check between two environments.</summary>
internal static class EnvCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("env", "Inspect environments (see also: status, history).");
        command.Add(Diff(env));
        return command;
    }

    private static Command Diff(CliEnvironment env)
    {
        var a = new Argument<string>("A") { Description = "The first environment, e.g. staging" };
        var b = new Argument<string>("B") { Description = "The second environment, e.g. production" };
        var command = new Command("diff", """
            The parity check: what differs between two environments beyond their declared vars and provider
            endpoints (base_url, api_key_env) — provider settings, vars present in one only, the promotion
            path — and whether they serve the same stable release and model. Staging should mirror production.
            Exit 0 either way; with --format json, 'parity' says whether they match.

            Example:
              glidepath env diff staging production
            """)
        {
            a,
            b,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var manifest = ctx.Manifest;
            var store = await ctx.ReadStoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var specA = service.Spec(parse.GetValue(a)!);
            var specB = service.Spec(parse.GetValue(b)!);
            var stable = EnvironmentRefs.StableLookup(store, manifest.App);
            var report = EnvironmentParity.Compare(manifest, specA, specB, await stable(specA.Name, ct), await stable(specB.Name, ct));
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new
                {
                    a = report.A,
                    b = report.B,
                    parity = report.Parity,
                    same_release = report.SameRelease,
                    same_model = report.SameModel,
                    differences = report.Differences,
                    expected = report.Expected,
                });
                return ExitCodes.Ok;
            }

            string V(string? value) => value ?? "(absent)";
            var verdict = report.Parity ? "in parity" : "NOT in parity";
            ctx.Output.Line($"{report.A} vs {report.B}: {verdict}", $"[bold]{report.A}[/] vs [bold]{report.B}[/]: {(report.Parity ? "[green]in parity[/]" : "[red]NOT in parity[/]")}");
            ctx.Output.Line($"  same stable release: {YesNo(report.SameRelease)}; same model: {YesNo(report.SameModel)}");
            if (report.Differences.Count > 0)
            {
                ctx.Output.Table(["aspect", "what", report.A, report.B], report.Differences.Select(d => (IReadOnlyList<string>)[d.Aspect, d.Key, V(d.A), V(d.B)]), title: "Differences");
            }

            if (report.Expected.Count > 0)
            {
                ctx.Output.Table(["aspect", "what", report.A, report.B], report.Expected.Select(d => (IReadOnlyList<string>)[d.Aspect, d.Key, V(d.A), V(d.B)]), title: "Declared to differ (expected)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "n/a (one has no stable release)" };
}
