using System.CommandLine;
using Glidepath.Access;
using Glidepath.Cli.Remote.Answers;
using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath tokens create|list|revoke</c>: access tokens to the admin API, one role in one environment each.</summary>
internal static class TokensCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("tokens", """
            Access tokens to the admin API (/admin/v1 on 'glidepath serve'): gpt_…, each granting one role in one
            environment, or in all of them with --env '*'. Roles: viewer (read), deployer (promote, rollout
            start/pause/resume/promote), owner (also rollback, freeze, unfreeze, rollout abort), admin (also keys and
            tokens). A client sends 'Authorization: Bearer gpt_…'; the token's name is recorded as the actor
            ('token:NAME') of every change made with it. The store keeps only a keyed hash; 'tokens create' prints the
            token once. On the store itself whoever can open it is trusted (the first admin token is made there);
            with --server the admin API needs an admin token of the environment (of '*' for tokens of '*').
            """);
        command.Add(Create(env));
        command.Add(List(env));
        command.Add(Revoke(env));
        return command;
    }

    private static AccessTokenService Service(CliContext ctx, IGlidepathStore store) => new(store.AccessTokens, store, ctx.Time);

    private static Command Create(CliEnvironment env)
    {
        var role = new Option<string>("--role") { Description = "viewer, deployer, owner or admin", Required = true };
        role.AcceptOnlyFromAmong("viewer", "deployer", "owner", "admin");
        var environment = new Option<string?>("--env", "-e") { Description = "The environment the role applies to, or '*' for all; required except for admin, where it defaults to '*'" };
        var name = new Option<string>("--name") { Description = "Who holds the token (1-64 letters, digits, '.', '_', '@', '-'), e.g. alice; recorded as the actor", Required = true };
        var command = new Command("create", """
            Create an access token and print it once: it cannot be shown again (the store keeps only a keyed hash).

            Examples:
              glidepath tokens create --role owner --env production --name alice
              glidepath tokens create --role deployer --env staging --name ci --format json
              glidepath tokens create --role admin --name root              # admin of every environment
            """)
        {
            role,
            environment,
            name,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var granted = RoleNames.Parse(parse.GetValue(role));
            if (ctx.Remote is { } remote)
            {
                var remoteScope = parse.GetValue(environment) ?? DefaultScope(granted);
                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(remoteScope)}/tokens", new { name = parse.GetValue(name), role = RoleNames.Name(granted) }, ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                var answer = Remote.RemoteJson.Read<TokensAnswer>(json);
                return WriteCreated(ctx, answer.Token!, answer.Info!.ToToken());
            }

            var scope = Scope(ctx, parse.GetValue(environment), granted);
            var store = await ctx.StoreAsync(ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var created = await Service(ctx, store).CreateAsync(ctx.Manifest.App, scope, granted, parse.GetValue(name)!, actor, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(AccessTokenReports.Created(created));
                return ExitCodes.Ok;
            }

            return WriteCreated(ctx, created.Secret, created.Token);
        });
        return command;
    }

    private static int WriteCreated(CliContext ctx, string secret, AccessToken t)
    {
        ctx.Output.Line($"Created token {t.Id} '{t.Name}': {RoleNames.Name(t.Role)} in {(t.Environment == Grant.AnyEnvironment ? "every environment" : t.Environment)} of {t.App}.");
        ctx.Output.Line("The token, shown this once (the store keeps only its hash):");
        ctx.Output.Line();
        ctx.Output.Line($"  {secret}");
        ctx.Output.Line();
        ctx.Output.Line("Clients send it as 'Authorization: Bearer <token>' to /admin/v1 (see docs/admin-api.md).");
        return ExitCodes.Ok;
    }

    private static Command List(CliEnvironment env)
    {
        var environment = new Option<string?>("--env", "-e") { Description = "Only tokens of this environment ('*': those of every environment); needed with --server" };
        var command = new Command("list", """
            List the app's access tokens, oldest first: id, name, role, environment, who created them and when, and
            when they were revoked, by whom and why. Tokens themselves are never shown.

            Examples:
              glidepath tokens list --format json
              glidepath tokens list --env production --server https://glidepath.internal:4001
            """)
        {
            environment,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var remoteScope = parse.GetValue(environment) ?? throw new BadInputException("with --server, 'tokens list' needs --env: the admin API lists one environment's tokens ('*' for those of every environment)");
                var json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(remoteScope)}/tokens", ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                var answer = Remote.RemoteJson.Read<TokensAnswer>(json);
                return WriteList(ctx, answer.App!, [.. answer.Tokens!.Select(t => t.ToToken())]);
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var scope = parse.GetValue(environment) is { } e ? Scope(ctx, e, Role.Viewer) : null;
            var tokens = (await Service(ctx, store).ListAsync(ctx.Manifest.App, ct)).Where(t => scope is null || t.Environment == scope).ToList();
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(AccessTokenReports.List(ctx.Manifest.App, tokens));
                return ExitCodes.Ok;
            }

            return WriteList(ctx, ctx.Manifest.App, tokens);
        });
        return command;
    }

    private static int WriteList(CliContext ctx, string app, IReadOnlyList<AccessToken> tokens)
    {
        if (tokens.Count == 0)
        {
            ctx.Output.Line("No tokens yet. Create one with 'glidepath tokens create --role ROLE --env ENV --name NAME'.");
            return ExitCodes.Ok;
        }

        ctx.Output.Table(
            ["id", "name", "role", "environment", "created (UTC)", "by", "revoked (UTC)", "revoked by", "reason"],
            tokens.Select(t => (IReadOnlyList<string>)
                [t.Id, t.Name, RoleNames.Name(t.Role), t.Environment, TableText.Time(t.CreatedAt), t.CreatedBy, .. RevocationColumns.Of(t.RevokedAt, t.RevokedBy, t.RevokeReason)]),
            title: $"{app}: {tokens.Count} token(s)");
        return ExitCodes.Ok;
    }

    private static Command Revoke(CliEnvironment env)
    {
        var token = new Argument<string>("ID-OR-NAME") { Description = "The token's id (tok_…), or the name of a token that is not revoked" };
        var environment = new Option<string?>("--env", "-e") { Description = "The token's environment ('*' for a token of every environment); needed with --server" };
        var reason = EnvironmentCommandSupport.ReasonOption("Why: kept with the token and shown by 'tokens list'");
        var command = new Command("revoke", """
            Revoke a token: the admin API refuses it (401) from the next request. It stays listed, with when it
            was revoked, by whom (the actor, as history records one) and why; its name can be given to a new
            token.

            Examples:
              glidepath tokens revoke alice --reason "left the team"
              glidepath tokens revoke tok_3f9a0c2d5e7b8a14
            """)
        {
            token,
            environment,
            reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var remoteScope = parse.GetValue(environment) ?? throw new BadInputException("with --server, 'tokens revoke' needs --env: the token's environment ('*' for a token of every environment)");
                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(remoteScope)}/tokens/{Uri.EscapeDataString(parse.GetValue(token)!)}/revoke", new { reason = parse.GetValue(reason) }, ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                return WriteRevoked(ctx, Remote.RemoteJson.Read<TokensAnswer>(json).Revoked!.ToToken());
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var found = await Service(ctx, store).FindByIdOrNameAsync(ctx.Manifest.App, parse.GetValue(token)!, ct);
            if (parse.GetValue(environment) is { } e && Scope(ctx, e, Role.Viewer) != found.Environment)
            {
                throw new BadInputException($"no token '{parse.GetValue(token)}' in '{e}' (by id, or by name among tokens not revoked); 'glidepath tokens list' shows them");
            }

            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var revoked = await Service(ctx, store).RevokeAsync(ctx.Manifest.App, found.Id, actor, parse.GetValue(reason), ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(AccessTokenReports.Revoked(revoked));
                return ExitCodes.Ok;
            }

            return WriteRevoked(ctx, revoked);
        });
        return command;
    }

    private static int WriteRevoked(CliContext ctx, AccessToken revoked)
    {
        ctx.Output.Line($"Revoked token {revoked.Id} '{revoked.Name}' ({RoleNames.Name(revoked.Role)} in {revoked.Environment}) at {TableText.Time(revoked.RevokedAt!.Value)} UTC{RevocationColumns.ByAndWhy(revoked.RevokedBy, revoked.RevokeReason)}.");
        return ExitCodes.Ok;
    }

    /// <summary>A declared environment or '*'; admin without --env is '*'.</summary>
    private static string Scope(CliContext ctx, string? environment, Role role)
    {
        if (environment is null)
        {
            return DefaultScope(role);
        }

        return environment == Grant.AnyEnvironment
            ? environment
            : (ctx.Manifest.FindEnvironment(environment)
                ?? throw new BadInputException($"unknown environment '{environment}'; expected one of: {string.Join(", ", ctx.Manifest.Environments.Select(e => e.Name))}, or '*'")).Name;
    }

    /// <summary>Without --env: '*' for an admin token, otherwise --env is required.</summary>
    private static string DefaultScope(Role role) => role == Role.Admin
        ? Grant.AnyEnvironment
        : throw new BadInputException($"--env is required for a {RoleNames.Name(role)} token: name an environment, or '*' for all of them");
}
