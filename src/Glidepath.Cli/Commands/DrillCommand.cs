using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Cli.Drills;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath drill --env E --gateway URL</c>: exercise a rollback end to end and record the result.</summary>
internal static class DrillCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var gateway = new Option<string>("--gateway") { Description = "Base URL of a running 'glidepath serve' for this environment", Required = true };
        var candidate = new Option<string?>("--candidate") { Description = "The release put on and rolled back (default: the previous known-good release, else the newest other release)" };
        var limit = new Option<string>("--limit") { Description = "The rollback must be served by every probe within this (e.g. 2s, 500ms)", DefaultValueFactory = _ => "2s" };
        var allowProduction = new Option<bool>("--allow-production") { Description = "Run on the production environment (the end of the promotion path) too" };
        var command = new Command("drill", """
            Test the rollback before you need it, the way you would test a kill switch: the candidate goes on
            the environment as a 100% canary, probes run through the gateway until it serves the candidate,
            the canary is taken off, and the time until every probe is served by the stable release again is
            measured. Traces are checked for the right release ids. The result (durations, pass or fail) is
            recorded in the environment's history as a 'drill' event. The stable pointer never moves.
            Exit 1 when the rollback was not served within --limit. Refused on production without --allow-production.

            Example:
              glidepath drill --env staging --gateway http://127.0.0.1:4000 --limit 2s
            """)
        {
            environment,
            gateway,
            candidate,
            limit,
            allowProduction,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var manifest = ctx.Manifest;
            var spec = manifest.FindEnvironment(parse.GetValue(environment)!)
                ?? throw new BadInputException($"unknown environment '{parse.GetValue(environment)}'; expected one of: {string.Join(", ", manifest.Environments.Select(e => e.Name))}");
            if (IsProduction(manifest, spec) && !parse.GetValue(allowProduction))
            {
                throw new PolicyException($"'{spec.Name}' is production (the end of the promotion path); a drill briefly serves the candidate to all of its traffic. Add --allow-production to run it there");
            }

            if (!Uri.TryCreate(parse.GetValue(gateway), UriKind.Absolute, out var gatewayUri) || gatewayUri.Scheme is not ("http" or "https"))
            {
                throw new BadInputException($"--gateway '{parse.GetValue(gateway)}' is not an http(s) URL; expected e.g. http://127.0.0.1:4000");
            }

            var limitSpan = DurationParser.Positive(parse.GetValue(limit), "--limit", "2s or 500ms")
                ?? throw new BadInputException("--limit is empty; expected a duration such as 2s or 500ms");

            var store = await ctx.StoreAsync(ct);
            var state = await store.Environments.GetAsync(manifest.App, spec.Name, ct);
            var stable = state.StableReleaseId is { } sid
                ? await store.Releases.GetByIdAsync(manifest.App, sid, ct) ?? throw new OperationalException($"stable release {sid[..8]} is not in the store")
                : throw new PolicyException($"environment '{spec.Name}' has no stable release; deploy one first, then drill the rollback to it");

            // Redirects are not followed: each probe carries an admin token in Glidepath-Admin-Token, which .NET would send on
            // to wherever a redirect points (it drops only Authorization); a gateway never answers a probe with one.
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
            DrillOptions Options(Release target) => new() { Environment = spec.Name, Gateway = gatewayUri, Stable = stable, Candidate = target, Limit = limitSpan };

            // A --candidate working is registered only once the drill can run (a gateway there, not frozen, no canary).
            var target = await CandidateAsync(ctx, store, spec.Name, stable, parse.GetValue(candidate),
                r => new RollbackDrill(store.Environments, store.Traces, http, ctx.Time, manifest.App).CheckAsync(Options(r), ct), ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);

            // Route probes need an admin token of the environment; the drill has the store (local access is trusted), so it
            // makes one for itself and revokes it when done: it never leaves this process.
            var tokens = new Glidepath.Access.AccessTokenService(store.AccessTokens, store, ctx.Time);
            var probeToken = await tokens.CreateAsync(manifest.App, spec.Name, Glidepath.Access.Role.Admin, $"drill-{Guid.NewGuid():N}"[..18], actor, ct);
            DrillResult result;
            try
            {
                var drill = new RollbackDrill(store.Environments, store.Traces, http, ctx.Time, manifest.App)
                {
                    Actor = actor,
                    Progress = ctx.Output.Note,
                    ProbeToken = probeToken.Secret,
                };
                result = await drill.RunAsync(Options(target), ct);
            }
            finally
            {
                await tokens.RevokeAsync(manifest.App, probeToken.Token.Id, actor, "the drill's own probe token: revoked when the drill ended", CancellationToken.None);
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(result);
            }
            else
            {
                var verdict = result.Passed ? "passed" : "FAILED";
                ctx.Output.Line($"Drill {verdict}: rollback served in {Ms(result.RollbackServedMs)} (limit {result.LimitMs:0} ms)",
                    $"Drill [{(result.Passed ? "green" : "red")}]{verdict}[/]: rollback served in {Ms(result.RollbackServedMs)} (limit {result.LimitMs:0} ms)");
                ctx.Output.Line($"  candidate {target.Label} served after {result.CandidateServedMs:0} ms; back on {stable.Label}");
                ctx.Output.Line($"  {result.Probes} probes ({result.ProbeErrors} errors); traces checked {result.TracesChecked}, wrong release {result.TracesMismatched}, not yet written {result.TracesMissing}");
                if (result.Failure is { } why)
                {
                    ctx.Output.Line($"  why: {why}");
                }
            }

            return result.Passed ? ExitCodes.Ok : ExitCodes.Negative;
        });
        return command;
    }

    private static string Ms(double? ms) => ms is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "never";

    /// <summary>Production is the end of the promotion path: it requires others and nothing requires it (or it is named so).</summary>
    private static bool IsProduction(Manifest manifest, EnvironmentSpec spec) =>
        spec.Name == "production" || spec.Requires.Count > 0 && !manifest.Environments.Any(e => e.Requires.Contains(spec.Name));

    private static async Task<Release> CandidateAsync(CliContext ctx, Storage.IGlidepathStore store, string environment, Release stable, string? reference, Func<Release, Task> check, CancellationToken ct)
    {
        if (reference is not null)
        {
            return await ctx.ResolveCheckedAsync(store, reference, async chosen =>
            {
                if (chosen.Id == stable.Id)
                {
                    throw new BadInputException($"the candidate {chosen.Name} is already the stable release; pick another release to put on and roll back");
                }

                await check(chosen);
            }, ct);
        }

        var history = await store.Environments.HistoryAsync(ctx.Manifest.App, environment, ct);
        if (StableHistory.KnownGood(history, stable.Id) is [var previous, ..] && await store.Releases.GetByIdAsync(ctx.Manifest.App, previous, ct) is { } known)
        {
            return known;
        }

        var releases = await store.Releases.ListAsync(ctx.Manifest.App, ct);
        return releases.LastOrDefault(r => r.Id != stable.Id)
            ?? throw new BadInputException("a drill needs a second release to put on and roll back; create one ('glidepath release create') or pass --candidate REF");
    }
}
