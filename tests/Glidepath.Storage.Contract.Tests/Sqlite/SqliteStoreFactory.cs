using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Storage.Contract.Tests.Sqlite;

/// <summary>Real SQLite files (<c>sqlite:PATH</c>) in a fresh temp folder, deleted afterwards.</summary>
internal sealed class SqliteStoreFactory() : ProviderStoreFactory(new SqliteStoreProvider())
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-contract-" + Guid.NewGuid().ToString("N"));

    protected override string NewLocation() => SqliteStoreProvider.Scheme + Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");

    // Each disposed SqliteStore has already closed its file's pooled connections.
    protected override ValueTask CleanUpAsync()
    {
        try
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind changes no result.
        }

        return ValueTask.CompletedTask;
    }
}
