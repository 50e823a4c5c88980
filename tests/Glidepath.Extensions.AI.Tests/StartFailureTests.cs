using Glidepath.Errors;
using Glidepath.Storage.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// What a start that cannot serve throws, as docs/sdk.md says: no store at <see cref="GlidepathOptions.Store"/> (missing,
/// empty, a folder, a file that is no store) is the app's configuration, a <see cref="BadInputException"/>; a store
/// that is there but cannot be used is an <see cref="OperationalException"/>. Nothing is created or written either way.
/// </summary>
public sealed class StartFailureTests
{
    // A trial: a garbage store file said "Check --store / GLIDEPATH_STORE (a path that does not exist yet gets a new
    // store)"; an app has no --store, and the SDK never creates a store.
    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("not a database")]
    [InlineData("folder")]
    [InlineData("another program's database")]
    public async Task StartAsync_NoStoreAtTheLocation_BadInput_MessageNamesTheAppsSetting_NothingCreated(string kind)
    {
        using var dir = TempDir.WithSample();
        var store = dir.File("glidepath.db");
        switch (kind)
        {
            case "empty":
                await File.WriteAllBytesAsync(store, []);
                break;
            case "not a database":
                await File.WriteAllTextAsync(store, "app: support-agent\n");
                break;
            case "folder":
                Directory.CreateDirectory(store);
                break;
            case "another program's database":
                await using (var connection = new SqliteConnection($"Data Source={store};Pooling=False"))
                {
                    await connection.OpenAsync();
                    await using var cmd = connection.CreateCommand();
                    cmd.CommandText = "CREATE TABLE notes (body TEXT)";
                    await cmd.ExecuteNonQueryAsync();
                }

                break;
        }

        var before = Snapshot(dir.Path);
        await using var runtime = Runtime(dir, store);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => runtime.StartAsync(CancellationToken.None));

        Assert.False(runtime.IsStarted);
        Assert.Equal(before, Snapshot(dir.Path));
        Assert.Contains("Check GlidepathOptions.Store / GLIDEPATH_STORE", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--store", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gets a new store", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a new file is created", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StoreOfANewerGlidepath_OperationalException()
    {
        using var dir = TempDir.WithSample();
        var store = dir.File("glidepath.db");
        await (await Glidepath.Storage.Sqlite.SqliteStore.OpenAsync(store, TimeProvider.System, CancellationToken.None)).DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_migrations VALUES (99999, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z')";
            await cmd.ExecuteNonQueryAsync();
        }

        await using var runtime = Runtime(dir, store);

        var ex = await Assert.ThrowsAsync<StoreSchemaException>(() => runtime.StartAsync(CancellationToken.None));

        Assert.IsAssignableFrom<OperationalException>(ex);
        Assert.False(runtime.IsStarted);
    }

    private static GlidepathRuntime Runtime(TempDir dir, string store) =>
        new(new GlidepathOptions { Environment = "staging", Manifest = dir.File("glidepath.yaml"), Store = store }, NullLoggerFactory.Instance);

    private static string Snapshot(string folder) => string.Join('\n', Directory
        .EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
        .Select(p => $"{Path.GetRelativePath(folder, p)}:{(File.Exists(p) ? new FileInfo(p).Length : -1)}")
        .Order(StringComparer.Ordinal));
}
