using Glidepath.Errors;
using Glidepath.Storage.Postgres;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// The target of a <c>glidepath store copy</c> that did not finish (<see cref="UnfinishedCopy"/>): every open refuses it,
/// naming the source (its password masked) and the start; a store the copy creates is marked by the statement that
/// writes its identity, and a store that was there already is not marked by the migration.
/// </summary>
public sealed class PostgresUnfinishedCopyTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly PostgresStoreProvider Provider = new();
    private static readonly UnfinishedCopy Mark = UnfinishedCopy.Begin("/srv/gp/.glidepath/glidepath.db", new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_StoreWithTheMark_RefusedExit3NamingSourceAndStart_PasswordsMasked(bool create)
    {
        var (schema, location) = await NewStoreAsync();
        // Written by hand, with a password in the source: what the store shows is masked again, never trusted.
        await PostgresTestServer.ExecAsync(database.Name, $"INSERT INTO {schema}.unfinished_copy VALUES (1, 'postgres://gp:hunter2@old-db/gp', '2026-12-07T10:30:00.0000000Z')");

        var refused = await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(location, create, TimeProvider.System, default));

        Assert.Equal(FailureKind.Operational, refused.Kind); // exit 3
        Assert.Contains("is the target of a 'glidepath store copy' that did not finish (started 2026-12-07T10:30:00.0000000Z from postgres://gp:***@old-db/gp); run the same 'glidepath store copy' again to finish it, or delete it", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("postgres://glidepath_test@", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gp-test-only-pw", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AfterTheMarkIsGone_Opens()
    {
        var (schema, location) = await NewStoreAsync();
        await PostgresTestServer.ExecAsync(database.Name, $"INSERT INTO {schema}.unfinished_copy VALUES (1, '/a.db', '2026-12-07T10:30:00.0000000Z')");
        await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(location, create: false, TimeProvider.System, default));

        await PostgresTestServer.ExecAsync(database.Name, $"DELETE FROM {schema}.unfinished_copy");

        await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        Assert.Equal(32, (await store.ReadIdentityAsync(default)).StoreId.Length);
    }

    [Fact]
    public async Task MigrateForACopy_NewSchema_MarkedWithItsIdentity_SoNoOpenEverSeesAnOrdinaryEmptyStore()
    {
        var schema = NewSchema();
        var location = PostgresTestServer.For(database.Name, schema).ConnectionString;

        await PostgresStore.MigrateAsync(PostgresLocation.Parse(location), Mark, default);

        var refused = await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(location, create: true, TimeProvider.System, default));
        Assert.Contains("(started 2026-12-07T10:30:00.0000000Z from /srv/gp/.glidepath/glidepath.db)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await PostgresTestServer.ScalarAsync(database.Name, $"SELECT count(*) FROM {schema}.store_identity"));
    }

    [Fact]
    public async Task MigrateForACopy_StoreAlreadyThere_NotMarked()
    {
        var (schema, location) = await NewStoreAsync();

        await PostgresStore.MigrateAsync(PostgresLocation.Parse(location), Mark, default);

        Assert.Equal(0L, await PostgresTestServer.ScalarAsync(database.Name, $"SELECT count(*) FROM {schema}.unfinished_copy"));
        await (await Provider.OpenAsync(location, create: false, TimeProvider.System, default)).DisposeAsync();
    }

    private async Task<(string Schema, string Location)> NewStoreAsync()
    {
        var schema = NewSchema();
        var location = PostgresTestServer.For(database.Name, schema).ConnectionString;
        await Provider.MigrateAsync(location, default);
        return (schema, location);
    }

    private static string NewSchema() => "s_" + Guid.NewGuid().ToString("N");
}
