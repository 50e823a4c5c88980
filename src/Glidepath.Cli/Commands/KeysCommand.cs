using System.CommandLine;
using System.Globalization;
using Glidepath.Errors;
using Glidepath.Keys;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath keys create|list|revoke</c>: callers' keys to an environment's gateway.</summary>
internal static class KeysCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("keys", """
            Callers' keys to the gateway (gpk_…). A caller sends its key the way its SDK already does:
            'Authorization: Bearer gpk_…' (OpenAI and current Anthropic SDKs) or 'x-api-key: gpk_…'.
            The store keeps only a keyed hash of each key; the key itself is printed once, by 'keys create'.
            """);
        command.Add(Create(env));
        command.Add(List(env));
        command.Add(Revoke(env));
        return command;
    }

    private static ApiKeyService Service(CliContext ctx, IGlidepathStore store) => new(store.ApiKeys, store, ctx.Time);

    private static Command Create(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var name = new Option<string>("--name") { Description = "Who uses the key (1-64 letters, digits, '.', '_', '-'), e.g. checkout-service", Required = true };
        var rpm = new Option<int?>("--rpm") { Description = "At most this many requests per minute (more: 429 with Retry-After); default no limit" };
        var budget = new Option<double?>("--budget-usd-per-day") { Description = "At most this many US dollars of model cost per UTC day (more: 429); default no limit" };
        var command = new Command("create", """
            Create a key for one environment's gateway and print it once: it cannot be shown again
            (the store keeps only a keyed hash). Store it in the caller's secret manager.

            Examples:
              glidepath keys create --env production --name checkout-service
              glidepath keys create --env production --name checkout-service --rpm 600 --budget-usd-per-day 50
              glidepath keys create --env staging --name ci --format json
            """)
        {
            environment,
            name,
            rpm,
            budget,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(parse.GetValue(environment)!)}/keys",
                    new { name = parse.GetValue(name), rpm = parse.GetValue(rpm), budget_usd_per_day = parse.GetValue(budget) }, ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                var answer = Remote.RemoteJson.Read<Remote.Answers.KeysAnswer>(json);
                return WriteCreated(ctx, answer.Key!, answer.Info!.ToKey());
            }

            var store = await ctx.StoreAsync(ct);
            var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(parse.GetValue(environment)!);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var created = await Service(ctx, store).CreateAsync(ctx.Manifest.App, spec.Name, parse.GetValue(name)!, parse.GetValue(rpm), parse.GetValue(budget), actor, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(ApiKeyReports.Created(created));
                return ExitCodes.Ok;
            }

            return WriteCreated(ctx, created.Secret, created.Key);
        });
        return command;
    }

    private static int WriteCreated(CliContext ctx, string secret, ApiKey k)
    {
        ctx.Output.Line($"Created key {k.Id} '{k.Name}' for {k.App} / {k.Environment} ({Limits(k)}).");
        ctx.Output.Line("The key, shown this once (the store keeps only its hash):");
        ctx.Output.Line();
        ctx.Output.Line($"  {secret}");
        ctx.Output.Line();
        ctx.Output.Line("Callers give it to their SDK as its API key: sent as 'Authorization: Bearer <key>' (OpenAI and current Anthropic SDKs) or 'x-api-key: <key>'.");
        return ExitCodes.Ok;
    }

    private static Command List(CliEnvironment env)
    {
        var environment = new Option<string?>("--env", "-e") { Description = "Only keys of this environment (default: all of the app's)" };
        var command = new Command("list", """
            List the app's keys, oldest first: id, name, environment, limits, who created them and when,
            and when they were revoked, by whom and why. Keys themselves are never shown.

            Examples:
              glidepath keys list
              glidepath keys list --env production --format json
            """)
        {
            environment,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var remoteEnv = parse.GetValue(environment) ?? throw new BadInputException("with --server, 'keys list' needs --env: the admin API lists one environment's keys");
                var json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(remoteEnv)}/keys", ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                var answer = Remote.RemoteJson.Read<Remote.Answers.KeysAnswer>(json);
                return WriteList(ctx, answer.App!, remoteEnv, [.. answer.Keys!.Select(k => k.ToKey())]);
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var envName = parse.GetValue(environment) is { } e ? EnvironmentCommandSupport.Service(ctx, store).Spec(e).Name : null;
            var keys = await Service(ctx, store).ListAsync(ctx.Manifest.App, envName, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(ApiKeyReports.List(ctx.Manifest.App, keys));
                return ExitCodes.Ok;
            }

            return WriteList(ctx, ctx.Manifest.App, envName, keys);
        });
        return command;
    }

    private static int WriteList(CliContext ctx, string app, string? envName, IReadOnlyList<ApiKey> keys)
    {
        if (keys.Count == 0)
        {
            ctx.Output.Line($"No keys yet. Create one with 'glidepath keys create --env {envName ?? "ENV"} --name NAME'.");
            return ExitCodes.Ok;
        }

        ctx.Output.Table(
            ["id", "name", "environment", "limits", "created (UTC)", "by", "revoked (UTC)", "revoked by", "reason"],
            keys.Select(k => (IReadOnlyList<string>)
                [k.Id, k.Name, k.Environment, Limits(k), TableText.Time(k.CreatedAt), k.CreatedBy, .. RevocationColumns.Of(k.RevokedAt, k.RevokedBy, k.RevokeReason)]),
            title: $"{app}: {keys.Count} key(s)");
        return ExitCodes.Ok;
    }

    private static Command Revoke(CliEnvironment env)
    {
        var key = new Argument<string>("ID-OR-NAME") { Description = "The key's id (key_…), or the name of a key that is not revoked" };
        var environment = new Option<string?>("--env", "-e") { Description = "The key's environment (needed with --server)" };
        var reason = EnvironmentCommandSupport.ReasonOption("Why: kept with the key and shown by 'keys list'");
        var command = new Command("revoke", """
            Revoke a key: gateways refuse it (401) within about a second. The key stays listed, with when it
            was revoked, by whom (the actor, as history records one) and why; its name can be given to a new
            key.

            Examples:
              glidepath keys revoke checkout-service --reason "leaked in a CI log"
              glidepath keys revoke key_3f9a0c2d5e7b8a14
            """)
        {
            key,
            environment,
            reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var remoteEnv = parse.GetValue(environment) ?? throw new BadInputException("with --server, 'keys revoke' needs --env: the key's environment");
                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(remoteEnv)}/keys/{Uri.EscapeDataString(parse.GetValue(key)!)}/revoke", new { reason = parse.GetValue(reason) }, ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                return WriteRevoked(ctx, Remote.RemoteJson.Read<Remote.Answers.KeysAnswer>(json).Revoked!.ToKey());
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var revoked = await Service(ctx, store).RevokeAsync(ctx.Manifest.App, parse.GetValue(key)!, actor, parse.GetValue(reason), ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(ApiKeyReports.Revoked(revoked));
                return ExitCodes.Ok;
            }

            return WriteRevoked(ctx, revoked);
        });
        return command;
    }

    private static int WriteRevoked(CliContext ctx, ApiKey revoked)
    {
        ctx.Output.Line($"Revoked key {revoked.Id} '{revoked.Name}' of {revoked.Environment} at {TableText.Time(revoked.RevokedAt!.Value)} UTC{RevocationColumns.ByAndWhy(revoked.RevokedBy, revoked.RevokeReason)}; gateways refuse it within about a second.");
        return ExitCodes.Ok;
    }

    private static string Limits(ApiKey k)
    {
        var inv = CultureInfo.InvariantCulture;
        var rpm = k.RequestsPerMinute is { } r ? string.Create(inv, $"{r} rpm") : "no rpm limit";
        var budget = k.BudgetUsdPerDay is { } b ? string.Create(inv, $"${b:0.######}/day") : "no budget";
        return $"{rpm}, {budget}";
    }
}
