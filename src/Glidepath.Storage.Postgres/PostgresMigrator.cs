using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Glidepath.Storage.Schema;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, forward-only, each in its own transaction,
/// recording them in the schema's <c>schema_migrations</c>, then writes the store's identity once. Several processes
/// may open one store at once: a session advisory lock per schema lets one migrate while the others wait. Opening builds
/// a new store; only <c>glidepath store migrate</c> (upgrade) changes an existing one.
/// </summary>
internal static partial class PostgresMigrator
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Whether the schema holds a migrated store (its identity table exists).</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command("SELECT to_regclass(@t) IS NOT NULL").With("t", $"\"{schema}\".store_identity");
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public static IReadOnlyCollection<int> Known { get; } = All.Select(m => m.Version).ToHashSet();

    /// <summary>The migration versions recorded in the store's schema; none when the schema or its table does not exist.</summary>
    public static async Task<IReadOnlyCollection<int>> AppliedAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using (var exists = connection.Command("SELECT to_regclass(@t) IS NOT NULL").With("t", $"\"{schema}\".schema_migrations"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return versions;
            }
        }

        await using var read = connection.Command($"SELECT version FROM \"{schema}\".schema_migrations");
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    /// <summary>
    /// Builds a new store at the current version or, with <paramref name="upgrade"/> (<c>glidepath store migrate</c>),
    /// applies what an older one lacks; refuses a newer schema, and an older one without <paramref name="upgrade"/>.
    /// Returns the migrations applied.
    /// </summary>
    /// <param name="copying">For <c>glidepath store copy</c>: the mark a store this creates gets with its identity, in one statement.</param>
    public static async Task<IReadOnlyList<string>> MigrateAsync(PostgresDatabase database, bool upgrade, UnfinishedCopy? copying, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var key = database.LockKey("migrate");
        await using (var lockCmd = connection.Command("SELECT pg_advisory_lock(hashtextextended(@k, 0))").With("k", key))
        {
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var schema = database.Location.Schema;
            var before = await AppliedAsync(connection, schema, cancellationToken).ConfigureAwait(false);
            StoreSchema.RequireMigratable(database.Location.Display, before, Known, upgrade);

            await ExecAsync(connection, null, $"""
                CREATE SCHEMA IF NOT EXISTS "{schema}";
                CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL);
                """, cancellationToken).ConfigureAwait(false);

            var applied = await AppliedAsync(connection, schema, cancellationToken).ConfigureAwait(false);
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
            {
                // Not PostgresDatabase.BeginAsync: a migration may have to wait for the gateways' short transactions to let go
                // of a table, and a lock timeout would stop the upgrade part way where waiting a moment lets it through.
                await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecAsync(connection, tx, $"SET LOCAL search_path TO \"{schema}\";\n" + migration.Sql, cancellationToken).ConfigureAwait(false);
                await using (var record = connection.Command($"INSERT INTO \"{schema}\".schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", tx))
                {
                    record.With("v", migration.Version).With("n", migration.Name).With("t", PostgresCommands.Iso(DateTimeOffset.UtcNow));
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                done.Add($"{migration.Version:D4}_{migration.Name}");
            }

            // A store a copy creates is marked by the statement that makes it a store (its identity): only a store that
            // existed before, whose emptiness the copy checks first, is ever without the mark while the copy runs.
            await using var identity = connection.Command(copying is null
                ? $"""
                    INSERT INTO "{schema}".store_identity (id, store_id, subject_key, created_at) VALUES (1, @id, @key, @at)
                    ON CONFLICT (id) DO NOTHING
                    """
                : $"""
                    WITH created AS (
                        INSERT INTO "{schema}".store_identity (id, store_id, subject_key, created_at) VALUES (1, @id, @key, @at)
                        ON CONFLICT (id) DO NOTHING RETURNING id)
                    INSERT INTO "{schema}".{UnfinishedCopy.Table} (id, source, started_at) SELECT id, @source, @started FROM created
                    """);
            identity.With("id", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
                .With("key", RandomNumberGenerator.GetBytes(32))
                .With("at", PostgresCommands.Iso(DateTimeOffset.UtcNow));
            if (copying is not null)
            {
                identity.With("source", copying.Source).With("started", copying.StartedAt);
            }

            await identity.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return done;
        }
        finally
        {
            // Not with the caller's token: a cancelled open must still give the lock back before the connection returns to the pool.
            await using var unlock = connection.Command("SELECT pg_advisory_unlock(hashtextextended(@k, 0))").With("k", key);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command(sql, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        const string prefix = "Glidepath.Storage.Postgres.Migrations.";
        var list = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = name[prefix.Length..];
            var match = MigrationName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"migration resource '{file}' must be named NNNN_name.sql");
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        list.Sort((x, y) => x.Version.CompareTo(y.Version));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Version == list[i - 1].Version)
            {
                throw new InvalidOperationException($"two migrations share version {list[i].Version}: {list[i - 1].Name} and {list[i].Name}");
            }
        }

        return list;
    }

    [GeneratedRegex("^([0-9]{4})_([a-z0-9_]+)\\.sql$")]
    private static partial Regex MigrationName();
}
