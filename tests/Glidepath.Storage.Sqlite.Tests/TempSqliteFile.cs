using Glidepath.Testing;
namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>A real SQLite store in a fresh temp folder, deleted afterwards.</summary>
internal sealed class TempSqliteFile : IAsyncDisposable
{
    private TempSqliteFile(string dir, SqliteStore store)
    {
        Dir = dir;
        Store = store;
    }

    public string Dir { get; }

    public SqliteStore Store { get; }

    public string DbPath => Path.Combine(Dir, "glidepath.db");

    public static async Task<TempSqliteFile> CreateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "glidepath-env-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var store = await SqliteStore.OpenAsync(Path.Combine(dir, "glidepath.db"), TimeProvider.System, CancellationToken.None);
        return new TempSqliteFile(dir, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        SqlitePools.ClearFolder(Dir);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does not change any result.
        }
    }
}
