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
