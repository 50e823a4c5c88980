using Glidepath.Errors;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;
using Glidepath.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Glidepath.Cli.StoreCopy;

/// <summary>
/// Copies an embedded SQLite store into an empty PostgreSQL store, table by table and row by row as stored (release
/// ids and numbers, history, verdicts, eval runs, traces and aggregates, rollouts, keys, the store identity), in one
/// transaction, then verifies every table (row count and checksum of its rows, read back) before committing: a
/// mismatch commits nothing. A target that holds any row is refused.
/// </summary>
internal sealed class StoreCopier(StoreProviders providers)
{
    // Transient (who judges a rollout right now), or bookkeeping that the migrator writes itself.
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal) { "schema_migrations", "rollout_leases" };

    public async Task<StoreCopyResult> CopyAsync(string from, string to, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!new SqliteStoreProvider().Handles(from))
        {
            throw new BadInputException($"--from '{StoreProviders.Redacted(from)}' is not a SQLite store; store copy reads a SQLite file (.glidepath/glidepath.db)");
        }

        if (!new PostgresStoreProvider().Handles(to))
        {
            throw new BadInputException($"--to '{StoreProviders.Redacted(to)}' is not a PostgreSQL store; expected postgres://user@host:5432/database or an Npgsql connection string");
        }

        // Both stores must be at this binary's schema version: the same tables and columns on both sides.
        string sourcePath;
        await using (var source = await providers.OpenAsync(from, create: false, time, cancellationToken).ConfigureAwait(false))
        {
            sourcePath = source.Location;
        }

        await providers.MigrateAsync(to, cancellationToken).ConfigureAwait(false);
        await using var target = (PostgresStore)await providers.OpenAsync(to, create: false, time, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var sqlite = new SqliteConnection($"Data Source={sourcePath};Mode=ReadOnly;Pooling=False");
            await sqlite.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pg = await target.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var schema = target.Database.Location.Schema;
            var tables = await PostgresTables.ReadAsync(pg, schema, cancellationToken).ConfigureAwait(false);
            var sourceTables = await SqliteTablesAsync(sqlite, cancellationToken).ConfigureAwait(false);
            foreach (var extra in sourceTables.Keys.Where(t => !tables.Any(x => x.Name == t) && !NotCopied.Contains(t)))
            {
                if (await SqliteHasRowsAsync(sqlite, extra, cancellationToken).ConfigureAwait(false))
                {
                    throw new OperationalException($"the SQLite store has rows in '{extra}', which the PostgreSQL store has no table for; nothing was copied");
                }
            }

            await using var tx = await pg.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in tables.Where(t => t.Name != "store_identity" && !NotCopied.Contains(t.Name)))
            {
                await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM \"{table.Name}\")", pg, tx);
                if ((bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    throw new PolicyException($"the store at {target.Location} is not empty ('{table.Name}' has rows); store copy only fills a new store: pass another database or ?schema=NAME");
                }
            }

            var copied = new List<TableCopy>();
            foreach (var table in tables.Where(t => !NotCopied.Contains(t.Name)))
            {
                if (!sourceTables.TryGetValue(table.Name, out var sourceColumns))
                {
                    throw new OperationalException($"the SQLite store has no table '{table.Name}'; nothing was copied");
                }

                var columns = table.Columns.Where(c => !c.Generated && sourceColumns.Contains(c.Name)).ToList();
                var expected = await CopyTableAsync(sqlite, pg, tx, table.Name, columns, cancellationToken).ConfigureAwait(false);
                var actual = await ReadBackAsync(pg, tx, table.Name, columns, cancellationToken).ConfigureAwait(false);
                if (expected.Rows != actual.Rows || expected.Checksum != actual.Checksum)
                {
                    throw new OperationalException($"copy of '{table.Name}' does not verify ({expected.Rows} rows {expected.Checksum[..12]} read, {actual.Rows} rows {actual.Checksum[..12]} written); nothing was committed");
                }

                copied.Add(expected);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            var identity = await target.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
            return new StoreCopyResult(sourcePath, target.Location, identity.StoreId, copied);
        }
        catch (NpgsqlException ex)
        {
            throw new OperationalException($"cannot copy into the store at {target.Location}: {target.Database.Location.Detail(ex)}; nothing was committed", ex);
        }
        catch (SqliteException ex)
        {
            throw new OperationalException($"cannot read the store at {from}: {ex.Message}; nothing was committed", ex);
        }
    }

    private static async Task<TableCopy> CopyTableAsync(SqliteConnection sqlite, NpgsqlConnection pg, NpgsqlTransaction tx, string table, List<PostgresTables.Column> columns, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        if (table == "store_identity")
        {
            // The identity is immutable (a trigger refuses changes); the new store's own is replaced by the source's, once.
            await using var swap = new NpgsqlCommand("ALTER TABLE store_identity DISABLE TRIGGER USER; DELETE FROM store_identity;", pg, tx);
            await swap.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var insert = new NpgsqlCommand($"INSERT INTO \"{table}\" ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})", pg, tx);
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new NpgsqlParameter { ParameterName = $"p{i}" })).ToList();
        await using var read = sqlite.CreateCommand();
        read.CommandText = $"SELECT {names} FROM \"{table}\" ORDER BY rowid";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<string>();
        var values = new object?[columns.Count];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < columns.Count; i++)
            {
                values[i] = CanonicalRow.Convert(reader.IsDBNull(i) ? null : reader.GetValue(i), columns[i].Type);
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            rows.Add(CanonicalRow.Text(values));
        }

        if (table == "store_identity")
        {
            await using var restore = new NpgsqlCommand("ALTER TABLE store_identity ENABLE TRIGGER USER", pg, tx);
            await restore.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new TableCopy(table, rows.Count, CanonicalRow.Checksum(rows));
    }

    private static async Task<TableCopy> ReadBackAsync(NpgsqlConnection pg, NpgsqlTransaction tx, string table, List<PostgresTables.Column> columns, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"SELECT {string.Join(", ", columns.Select(c => $"\"{c.Name}\""))} FROM \"{table}\"", pg, tx);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<string>();
        var values = new object?[columns.Count];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < columns.Count; i++)
            {
                values[i] = CanonicalRow.Convert(reader.IsDBNull(i) ? null : reader.GetValue(i), columns[i].Type);
            }

            rows.Add(CanonicalRow.Text(values));
        }

        return new TableCopy(table, rows.Count, CanonicalRow.Checksum(rows));
    }

    private static async Task<Dictionary<string, HashSet<string>>> SqliteTablesAsync(SqliteConnection sqlite, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using var cmd = sqlite.CreateCommand();
        cmd.CommandText = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!tables.TryGetValue(reader.GetString(0), out var columns))
            {
                tables[reader.GetString(0)] = columns = new HashSet<string>(StringComparer.Ordinal);
            }

            columns.Add(reader.GetString(1));
        }

        return tables;
    }

    private static async Task<bool> SqliteHasRowsAsync(SqliteConnection sqlite, string table, CancellationToken cancellationToken)
    {
        await using var cmd = sqlite.CreateCommand();
        cmd.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table}\")";
        return System.Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }
}
