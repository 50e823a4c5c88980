using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Glidepath.Storage.Schema;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, forward-only, all pending ones in one
/// transaction, recording them in <c>schema_migrations</c>. Safe when several processes open at once. Opening builds a
/// new store; only <c>glidepath store migrate</c> (upgrade) changes an existing one.
/// </summary>
internal static partial class SqliteMigrator
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } = Load();

    public static IReadOnlyCollection<int> Known { get; } = All.Select(m => m.Version).ToHashSet();

    /// <summary>The migration versions recorded in the file; none for a new (empty) file.</summary>
    public static async Task<IReadOnlyCollection<int>> AppliedAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await AppliedAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds a new store at the current version, or (with <paramref name="upgrade"/>, <c>glidepath store migrate</c>)
    /// applies what an older one lacks. Refuses a newer schema, and an older one without <paramref name="upgrade"/>.
    /// Returns the migrations applied.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(SqliteDatabase database, string location, bool upgrade, CancellationToken cancellationToken)
    {
        var applied = new List<string>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);",
            cancellationToken).ConfigureAwait(false);
        if (StoreSchema.Compare(await AppliedAsync(connection, null, cancellationToken).ConfigureAwait(false), Known) == StoreSchemaState.Current)
        {
            return applied;
        }

        // One transaction for the decision and every migration: BEGIN IMMEDIATE takes the write lock, so two processes
        // never apply the same migration, a process never sees a store half built by another, and a migration that
        // fails leaves the store at the version it had.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var versions = await AppliedAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        StoreSchema.RequireMigratable(location, versions, Known, upgrade);

        foreach (var migration in All.Where(m => !versions.Contains(m.Version)))
        {
            await ExecAsync(connection, tx, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$n", migration.Name);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add($"{migration.Version:D4}_{migration.Name}");
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    private static async Task<IReadOnlyCollection<int>> AppliedAsync(SqliteConnection connection, SqliteTransaction? tx, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        var versions = new HashSet<int>();
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            return versions;
        }

        cmd.CommandText = "SELECT version FROM schema_migrations";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        const string prefix = "Glidepath.Storage.Sqlite.Migrations.";
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
