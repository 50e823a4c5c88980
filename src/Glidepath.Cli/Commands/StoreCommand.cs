using System.CommandLine;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath store migrate|backup|copy</c>: the store's schema, which only migrate changes, its backup, and moving to PostgreSQL.</summary>
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
        command.Add(Backup(env));
        command.Add(Copy(env));
        return command;
    }

    private static Command Copy(CliEnvironment env)
    {
        var from = new Option<string>("--from") { Description = "The SQLite store to copy (default: .glidepath/glidepath.db beside the manifest)" };
        var to = new Option<string>("--to") { Description = "The PostgreSQL store to fill: postgres://user@host:5432/database[?schema=NAME] or an Npgsql connection string; created if missing, refused if it holds any row; give the password in PGPASSWORD (or ~/.pgpass), not here, where the process list shows it", Required = true };
        var command = new Command("copy", """
            Copy an embedded SQLite store into a new PostgreSQL store, to move a team from one machine to
            several: releases (same ids and numbers), environments and their history, gate verdicts, eval
            runs, traces and their aggregates, rollouts and their decisions, drift alerts, callers' keys and
            the store's identity (so subject hashes and keys stay valid). One transaction: every table is
            read back and verified (rows and a checksum) before it commits; a mismatch commits nothing. Until
            it commits, the target is marked as an unfinished copy, which every other command, 'serve' and
            the SDK refuse (exit 3): a copy cut short (killed, disconnected) is finished by running it again.
            Stop the gateways on the SQLite store first, then point them at the new store.

            Examples:
              glidepath store copy --to postgres://glidepath@db.internal:5432/glidepath
              glidepath store copy --from .glidepath/glidepath.db --to postgres://glidepath@db/glidepath --format json
            """)
        {
            from,
            to,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (Glidepath.Storage.LocationSecrets.In(parse.GetValue(to)!).Masked != parse.GetValue(to))
            {
                // Masked in every output, but on the command line the process list and the shell history have it.
                ctx.Output.Note("note: --to holds a password, which the process list and the shell history show; give it in PGPASSWORD (or ~/.pgpass) instead");
            }

            var source = parse.GetValue(from) is { Length: > 0 } f ? f : ctx.StoreLocation();
            var result = await new Glidepath.Cli.StoreCopy.StoreCopier(ctx.Env.Stores).CopyAsync(source, parse.GetValue(to)!, ctx.Time, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new
                {
                    from = result.From,
                    to = result.To,
                    store_id = result.StoreId,
                    verified = true,
                    tables = result.Tables.Select(t => new { table = t.Table, rows = t.Rows, sha256 = t.Checksum }),
                });
                return ExitCodes.Ok;
            }

            foreach (var t in result.Tables)
            {
                ctx.Output.Line($"{t.Table,-26} {t.Rows,9} rows  sha256 {t.Checksum[..16]}");
            }

            ctx.Output.Line($"Copied {result.From} to {result.To} (store {result.StoreId}): {result.Tables.Sum(t => t.Rows)} rows in {result.Tables.Count} tables, each verified.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Backup(CliEnvironment env)
    {
        var file = new Argument<string>("FILE") { Description = "Where to write the copy (refused if it exists, unless --force)" };
        var force = new Option<bool>("--force") { Description = "Replace FILE if it exists" };
        var command = new Command("backup", """
            Write a consistent copy of a SQLite store to FILE, safe while gateways read and write it: SQLite's
            backup API copies one snapshot, the commits still in the store's -wal included (a 'cp' of the
            .db file alone silently loses them). The copy is checked (integrity_check, the same store id)
            before it is kept, and is one file (no -wal beside it). Nothing is migrated: take it before
            'glidepath store migrate'. Put it back with gateways stopped, or with mv (docs/gateway.md). A
            PostgreSQL store is backed up with pg_dump (exit 2 here; docs/stores.md).

            Examples:
              glidepath store backup /backups/glidepath-2026-12-06.db
              glidepath store backup /backups/latest.db --force --format json
            """)
        {
            file,
            force,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var result = await ctx.Env.Stores.BackupAsync(ctx.StoreLocation(), parse.GetValue(file)!, parse.GetValue(force), ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { from = result.From, to = result.To, store_id = result.StoreId, schema_version = result.SchemaVersion, bytes = result.Bytes, verified = true });
                return ExitCodes.Ok;
            }

            ctx.Output.Line($"Backed up {result.From} to {result.To}: store {result.StoreId}, schema version {result.SchemaVersion}, {result.Bytes} bytes, integrity checked.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Migrate(CliEnvironment env)
    {
        var command = new Command("migrate", """
            Apply the migrations the store lacks, forward-only (creating the store if there is none), so that
            this glidepath can use it. Back the store up first ('glidepath store backup FILE'): there is no way down. Safe to run from several
            machines at once (one applies, the others wait and find nothing left to do). Run it before you start
            gateways of a new version; gateways of the old version then refuse the newer schema.

            Examples:
              glidepath store migrate
              glidepath store migrate --store postgres://glidepath@db.internal:5432/glidepath
            """);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            // Creating the store where there is none is what migrate does; a mistyped path (a folder that is not there
            // either) is said, as every command that creates a store says it.
            var created = ctx.Env.Stores.Exists(ctx.StoreLocation()) == false ? NewStore.At(ctx.StoreLocation()) : null;
            var result = await ctx.Env.Stores.MigrateAsync(ctx.StoreLocation(), ct);
            if (created is not null)
            {
                ctx.Output.Note(created.CreatedNote);
            }

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
