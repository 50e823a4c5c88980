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
