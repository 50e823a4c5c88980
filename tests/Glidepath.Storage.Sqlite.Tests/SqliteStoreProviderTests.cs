using Glidepath.Errors;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class SqliteStoreProviderTests
{
    private static readonly StoreProviders Providers = new StoreProviders().Add(new SqliteStoreProvider());

    [Theory]
    [InlineData("/tmp/x/glidepath.db", true)]
    [InlineData("relative/glidepath.db", true)]
    [InlineData("sqlite:/tmp/x.db", true)]
    [InlineData("postgres://u:p@localhost/db", false)]
    [InlineData("Host=localhost;Database=x", false)]
    [InlineData("memory:", false)]
    public void Handles_ByScheme(string location, bool expected) => Assert.Equal(expected, new SqliteStoreProvider().Handles(location));

    [Fact]
    public async Task OpenAsync_MissingStoreWithoutCreate_BadInputAndNothingCreated()
    {
        var path = Path.Combine(Path.GetTempPath(), "gp-none-" + Guid.NewGuid().ToString("N"), "x.db");

        var ex = await Assert.ThrowsAsync<BadInputException>(() => Providers.OpenAsync(path, create: false, TimeProvider.System, default));

        Assert.StartsWith($"no store at {path}", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    // An empty file is no store: a reader (the gateway, the SDK) must not start on a new empty one (all 503s).
    [Fact]
    public async Task OpenAsync_EmptyFileWithoutCreate_BadInputAndNothingWritten()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gp-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "x.db");
        await File.WriteAllBytesAsync(path, []);
        try
        {
            var ex = await Assert.ThrowsAsync<BadInputException>(() => Providers.OpenAsync(path, create: false, TimeProvider.System, default));

            Assert.StartsWith($"{path} is an empty file; expected an existing store", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, new FileInfo(path).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // A trial: another program's SQLite file named as the store got the store's schema written into it, and a read
    // command exited 0.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAsync_AnotherProgramsDatabase_BadInputAndNothingWritten(bool create)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gp-foreign-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "app.db");
        try
        {
            await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await c.OpenAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');";
                await cmd.ExecuteNonQueryAsync();
            }

            var ex = await Assert.ThrowsAsync<BadInputException>(() => Providers.OpenAsync(path, create, TimeProvider.System, default));

            Assert.StartsWith($"{path} is a SQLite database that holds no Glidepath store", ex.Message, StringComparison.Ordinal);
            await using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
            await check.OpenAsync();
            await using var tables = check.CreateCommand();
            tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
            Assert.Equal("notes", await tables.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_SqliteScheme_OpensThePathAfterIt()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();

        await using var store = await Providers.OpenAsync("sqlite:" + tmp.DbPath, create: false, TimeProvider.System, default);

        Assert.Equal(tmp.DbPath, store.Location);
    }

    [Fact]
    public async Task OpenAsync_PostgresWithoutItsProvider_NoProviderHandlesIt()
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => Providers.OpenAsync("postgres://u@h/db", create: true, TimeProvider.System, default));

        Assert.StartsWith("no store provider handles", ex.Message, StringComparison.Ordinal);
        // An outside trial's SDK app stopped here without a word of what to add.
        Assert.EndsWith("reference the Glidepath.Storage.Postgres package and add new PostgresStoreProvider() to the host's StoreProviders (docs/sdk.md)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NoProviderHandlesIt_ListsTheForms()
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => Providers.OpenAsync("memory:", create: true, TimeProvider.System, default));

        Assert.Contains("a SQLite file path", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class StoreProvidersRedactionTests
{
    [Theory]
    [InlineData("redis://user:s3cret@h/0", "redis://user:***@h/0")]
    [InlineData("Server=h;Password=s3cret;Db=x", "Server=h;Password=***;Db=x")]
    [InlineData("/tmp/x.db", "/tmp/x.db")]
    public void Redacted_PasswordsHidden(string location, string expected) => Assert.Equal(expected, StoreProviders.Redacted(location));

    [Fact]
    public async Task OpenAsync_UnhandledLocation_MessageHasNoPassword()
    {
        var ex = await Assert.ThrowsAsync<Glidepath.Errors.BadInputException>(() =>
            new StoreProviders().OpenAsync("redis://user:s3cret@h/0", create: false, TimeProvider.System, default));

        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }
}
