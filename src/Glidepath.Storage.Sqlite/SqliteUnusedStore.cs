using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Takes back a store a command created and then wrote nothing to (it failed first: <c>deploy v1</c> on a new path,
/// where v1 does not exist), so a failed command does not leave an empty store behind. A store holding any row beyond
/// what creating it writes (its schema version and identity) is kept.
/// </summary>
public static class SqliteUnusedStore
{
    // What a new store holds before anything is written to it.
    private static readonly string[] CreatedWith = ["schema_migrations", "store_identity"];

    /// <summary>
    /// Deletes the store file at <paramref name="path"/> (and its -wal and -shm) when no table holds a row but those a new
    /// store is created with; true when it did. The store must be closed (its pool cleared) first.
    /// </summary>
    public static async Task<bool> RemoveAsync(string path, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(path);
        await using (var connection = new SqliteConnection(database.UnpooledConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!await IsUnusedAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        foreach (var file in new[] { path + "-wal", path + "-shm", path })
        {
            File.Delete(file);
        }

        return true;
    }

    private static async Task<bool> IsUnusedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables.Where(t => !CreatedWith.Contains(t, StringComparer.Ordinal)))
        {
            await using var any = connection.CreateCommand();
            any.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\")";
            if (Convert.ToInt64(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
