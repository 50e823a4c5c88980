using Glidepath.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Glidepath.Testing;

/// <summary>
/// Closes the pooled SQLite connections of one test's files, and only those. <see cref="SqliteConnection.ClearAllPools"/>
/// would also close the connections of tests running in parallel, mid-test: the last close of a file checkpoints and
/// deletes its <c>-wal</c>, which a test of a store file replaced under open connections depends on. That made such
/// tests fail now and then.
/// </summary>
internal static class SqlitePools
{
    /// <summary>The pools a store at <paramref name="path"/> uses, and those of plain <c>Data Source=PATH</c> connections.</summary>
    public static void ClearFile(string path)
    {
        new SqliteDatabase(path).ClearPool();
        foreach (var source in new[] { path, Path.GetFullPath(path) })
        {
            using var connection = new SqliteConnection($"Data Source={source}");
            SqliteConnection.ClearPool(connection);
        }
    }

    /// <summary>Every <c>*.db</c> file under <paramref name="directory"/> (before it is deleted).</summary>
    public static void ClearFolder(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.db", SearchOption.AllDirectories))
        {
            ClearFile(file);
        }
    }
}
