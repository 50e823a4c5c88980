using System.CommandLine;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath store migrate</c>: the store's schema, which only this command changes.</summary>
internal static class StoreCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("store", """
            The store itself: its schema version. Every other command and 'serve' check the schema when they
            open the store and refuse one that is older (run 'glidepath store migrate') or newer (upgrade
            glidepath) than this binary; a command that writes creates a new store at the current version.
            """);
        command.Add(Migrate(env));
        return command;
    }

    private static Command Migrate(CliEnvironment env)
    {
        var command = new Command("migrate", """
            Apply the migrations the store lacks, forward-only (creating the store if there is none), so that
            this glidepath can use it. Back the store up first: there is no way down. Safe to run from several
            machines at once (one applies, the others wait and find nothing left to do). Run it before you start
            gateways of a new version; gateways of the old version then refuse the newer schema.

            Examples:
              glidepath store migrate
              glidepath store migrate --store postgres://glidepath@db.internal:5432/glidepath
            """);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var result = await ctx.Env.Stores.MigrateAsync(ctx.StoreLocation(), ct);
            var location = StoreProviders.Redacted(result.Location);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { store = location, from_version = result.FromVersion, to_version = result.ToVersion, applied = result.Applied });
                return ExitCodes.Ok;
            }

            ctx.Output.Line(result.Applied.Count == 0
                ? $"Store {location} is at schema version {result.ToVersion}: nothing to apply."
                : $"Store {location}: schema version {result.FromVersion} → {result.ToVersion} ({result.Applied.Count} migration{(result.Applied.Count == 1 ? "" : "s")}: {string.Join(", ", result.Applied)}).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
