using System.Globalization;
using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>A SQLite file as an older Glidepath left it: the embedded migrations up to a version, then some rows.</summary>
internal static class OldStore
{
    public static async Task CreateAsync(string path, int throughVersion, string rowsSql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            await ExecAsync(old, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            foreach (var m in SqliteMigrator.All.Where(m => m.Version <= throughVersion))
            {
                await ExecAsync(old, m.Sql);
                await ExecAsync(old, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', '2026-11-01T00:00:00Z');"));
            }

            await ExecAsync(old, rowsSql);
        }

        SqlitePools.ClearFile(path);
    }

    private static async Task ExecAsync(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
