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
/// mismatch commits nothing. A target that holds any row is refused. From before that transaction until its commit the
/// target carries the mark of an unfinished copy (<see cref="UnfinishedCopy"/>), which every other open refuses: a copy
/// cut short leaves a store nobody runs on by mistake, and running the copy again finishes it.
/// </summary>
internal sealed class StoreCopier(StoreProviders providers)
{
    // Transient (who judges a rollout or runs an eval run right now), bookkeeping that the migrator writes itself, or the copy's own mark.
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal) { "schema_migrations", "rollout_leases", "eval_run_leases", UnfinishedCopy.Table };

    /// <summary>For tests: runs once the mark is committed, before the data transaction begins.</summary>
    internal Func<CancellationToken, Task>? AfterMark { get; init; }

    /// <summary>For tests: runs inside the data transaction, right before its commit (a copy cut short there, as by a kill).</summary>
    internal Func<CancellationToken, Task>? BeforeCommit { get; init; }

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

        // Not opened as a store: that open refuses the target of an unfinished copy, which this copy may be here to finish.
        var location = PostgresLocation.Parse(to);
        var mark = UnfinishedCopy.Begin(sourcePath, time.GetUtcNow());
        await using var target = new PostgresDatabase(location);
        try
        {
            await using var pg = await target.OpenAsync(cancellationToken).ConfigureAwait(false);
            await LockAsync(pg, location, cancellationToken).ConfigureAwait(false);
            try
            {
                await PostgresStore.MigrateAsync(location, mark, cancellationToken).ConfigureAwait(false);
                await using var sqlite = new SqliteConnection($"Data Source={sourcePath};Mode=ReadOnly;Pooling=False");
                await sqlite.OpenAsync(cancellationToken).ConfigureAwait(false);
                var tables = await PostgresTables.ReadAsync(pg, location.Schema, cancellationToken).ConfigureAwait(false);
                var sourceTables = await SqliteTablesAsync(sqlite, cancellationToken).ConfigureAwait(false);
                foreach (var extra in sourceTables.Keys.Where(t => !tables.Any(x => x.Name == t) && !NotCopied.Contains(t)))
                {
                    if (await SqliteHasRowsAsync(sqlite, extra, cancellationToken).ConfigureAwait(false))
                    {
                        throw new OperationalException($"the SQLite store has rows in '{extra}', which the PostgreSQL store has no table for; nothing was copied");
                    }
                }

                // Committed before the data: a kill from here until the data's commit leaves a store every other open refuses.
                await using (var marking = await target.BeginAsync(pg, cancellationToken).ConfigureAwait(false))
                {
                    await RefuseRowsAsync(pg, marking, tables, location.Display, cancellationToken).ConfigureAwait(false);
                    await using var write = new NpgsqlCommand($"""
                        INSERT INTO {UnfinishedCopy.Table} (id, source, started_at) VALUES (1, @s, @t)
                        ON CONFLICT (id) DO UPDATE SET source = EXCLUDED.source, started_at = EXCLUDED.started_at
                        """, pg, marking) { Parameters = { new("s", mark.Source), new("t", mark.StartedAt) } };
                    await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await marking.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (AfterMark is { } marked)
                {
                    await marked(cancellationToken).ConfigureAwait(false);
                }

                await using var tx = await pg.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await RefuseRowsAsync(pg, tx, tables, location.Display, cancellationToken).ConfigureAwait(false);
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

                // The mark goes with the commit that fills the store, and not a moment before.
                await using (var unmark = new NpgsqlCommand($"DELETE FROM {UnfinishedCopy.Table}", pg, tx))
                {
                    await unmark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                string storeId;
                await using (var identity = new NpgsqlCommand("SELECT store_id FROM store_identity WHERE id = 1", pg, tx))
                {
                    storeId = (string)(await identity.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                if (BeforeCommit is { } cut)
                {
                    await cut(cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new StoreCopyResult(sourcePath, location.Display, storeId, copied);
            }
            finally
            {
                await UnlockAsync(pg, location).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException ex)
        {
            throw new OperationalException($"cannot copy into the store at {location.Display}: {location.Detail(ex)}; nothing was committed", ex);
        }
        catch (SqliteException ex)
        {
            throw new OperationalException($"cannot read the store at {from}: {ex.Message}; nothing was committed", ex);
        }
    }

    private static string LockKey(PostgresLocation location) => location.Schema + "\u001fstore-copy";

    /// <summary>
    /// One copy into a store at a time, from before its schema is made (a session lock, which a killed copy's session
    /// gives back as it ends): two at once would both find it empty, and the second would mark the store the first had
    /// just filled.
    /// </summary>
    private static async Task LockAsync(NpgsqlConnection pg, PostgresLocation location, CancellationToken cancellationToken)
    {
        await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@k, 0))", pg) { Parameters = { new("k", LockKey(location)) } };
        if (!(bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            throw new PolicyException($"another 'glidepath store copy' into {location.Display} is running; let it finish (nothing was written)");
        }
    }

    // Not with the caller's token: a cancelled copy gives the lock back too. A connection that broke has lost its session
    // and the lock with it; the error that broke it is the one to report.
    private static async Task UnlockAsync(NpgsqlConnection pg, PostgresLocation location)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@k, 0))", pg) { Parameters = { new("k", LockKey(location)) } };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
        }
    }

    /// <summary>A store that holds any row (but the copy's own bookkeeping and the identity every new store has) is not filled.</summary>
    private static async Task RefuseRowsAsync(NpgsqlConnection pg, NpgsqlTransaction tx, List<PostgresTables.Table> tables, string location, CancellationToken cancellationToken)
    {
        foreach (var table in tables.Where(t => t.Name != "store_identity" && !NotCopied.Contains(t.Name)))
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM \"{table.Name}\")", pg, tx);
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                throw new PolicyException($"the store at {location} is not empty ('{table.Name}' has rows); store copy only fills a new store: pass another database or ?schema=NAME");
            }
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
