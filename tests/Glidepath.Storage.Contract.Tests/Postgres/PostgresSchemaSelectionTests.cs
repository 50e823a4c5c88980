using System.Globalization;
using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Releases;
using Glidepath.Storage.Postgres;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// An outside trial: through PgBouncer with <c>ignore_startup_parameters = search_path</c> (PgBouncer refuses the
/// parameter otherwise), every query ran on the role's default path, and <c>release create</c> aimed at
/// <c>?schema=other</c> registered the release in the schema named after the role: another store. Now a session whose
/// current schema is not the store's is refused before anything is read or written; a role whose default path is the
/// store's schema works without the parameter; transactions set the path themselves; and a pooler's refusal of the
/// parameter is named. A session that lost the parameter is one opened with <see cref="PostgresLocation.SendsSearchPath"/>
/// false, as the pooler's is; the role's default path is set per database (<c>ALTER ROLE … IN DATABASE</c>), so only
/// this class's database sees it.
/// </summary>
public sealed class PostgresSchemaSelectionTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly string Role = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString).Username!;

    [Fact]
    public async Task OpenAsync_SearchPathDroppedAndTheRolesDefaultReachesAnotherStore_EveryOpenRefusedNamingTheFix()
    {
        await (await OpenAsync(Location(Role), create: true)).DisposeAsync(); // the store "$user" finds: the role's own schema
        var schema = NewSchema();
        await (await OpenAsync(Location(schema), create: true)).DisposeAsync();
        var dropped = Location(schema) with { SendsSearchPath = false };

        var read = await Assert.ThrowsAsync<OperationalException>(() => OpenAsync(dropped, create: false));
        var write = await Assert.ThrowsAsync<OperationalException>(() => OpenAsync(dropped, create: true));
        var migrate = await Assert.ThrowsAsync<OperationalException>(() => PostgresStore.MigrateAsync(dropped, default));

        foreach (var ex in new[] { read, write, migrate })
        {
            Assert.Contains($"(schema {schema}) is not what this connection reads: its current schema is {Role} (search_path \"$user\", public)", ex.Message, StringComparison.Ordinal);
            Assert.Contains($"ALTER ROLE {Role} SET search_path = {schema}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OpenAsync_SearchPathDroppedForANewStore_RefusedAndNothingCreated()
    {
        await (await OpenAsync(Location(Role), create: true)).DisposeAsync();
        var schema = NewSchema();

        var ex = await Assert.ThrowsAsync<OperationalException>(() => OpenAsync(Location(schema) with { SendsSearchPath = false }, create: true));

        Assert.Contains($"its current schema is {Role}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(false, await ScalarAsync($"SELECT to_regnamespace('{schema}') IS NOT NULL"));
    }

    [Fact]
    public async Task Writes_SearchPathLostAfterOpen_RefusedAndNothingWrittenToTheStoreTheRolesDefaultReaches()
    {
        await (await OpenAsync(Location(Role), create: true)).DisposeAsync();
        var schema = NewSchema();
        await using var store = await WithRoleDefaultAsync(schema, () => OpenAsync(Location(schema) with { SendsSearchPath = false }, create: true));
        var before = await RowsInTheRolesStoreAsync();

        // The default is gone (a pooler reconfigured, another role): each command's new connection lands on the role's schema.
        var identity = await Assert.ThrowsAsync<OperationalException>(() => store.ReadIdentityAsync(default));
        var verdict = await Assert.ThrowsAsync<OperationalException>(() => store.GateVerdicts.SaveAsync(Verdict(), default));
        var release = await Assert.ThrowsAsync<OperationalException>(() => store.Releases.RegisterAsync(Draft(), default));

        Assert.All(new[] { identity, verdict, release }, ex => Assert.Contains($"its current schema is {Role}", ex.Message, StringComparison.Ordinal));
        Assert.Equal(before, await RowsInTheRolesStoreAsync());
    }

    [Fact]
    public async Task OpenAsync_NoStartupSearchPathAndTheRolesDefaultIsTheStoresSchema_CreatesAndUsesThatStore()
    {
        await (await OpenAsync(Location(Role), create: true)).DisposeAsync();
        var schema = NewSchema();
        var before = await RowsInTheRolesStoreAsync();

        await WithRoleDefaultAsync(schema, async () =>
        {
            await using var store = await OpenAsync(Location(schema) with { SendsSearchPath = false }, create: true);
            await store.Releases.RegisterAsync(Draft(), default);
            await store.GateVerdicts.SaveAsync(Verdict(), default);
            return 0;
        });

        await using var direct = await OpenAsync(Location(schema), create: false);
        Assert.NotNull(await direct.Releases.GetByIdAsync("app", "aaa", default));
        Assert.Equal(before, await RowsInTheRolesStoreAsync());
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM \"{schema}\".gate_verdicts"));
    }

    // Transaction pooling hands each statement whatever server connection is free, and another client may have left its
    // own path on that one (a session SET): modelled by one pooled connection kept without a reset between uses.
    [Fact]
    public async Task ReadIdentityAsync_PooledSessionMovedToAnotherStore_RefusedWhileTransactionsStayInTheStoresSchema()
    {
        await (await OpenAsync(Location(Role), create: true)).DisposeAsync();
        var schema = NewSchema();
        await (await OpenAsync(Location(schema), create: true)).DisposeAsync();
        var before = await RowsInTheRolesStoreAsync();
        var settings = PostgresTestServer.For(database.Name, schema);
        (settings.Pooling, settings.MaxPoolSize, settings.NoResetOnClose) = (true, 1, true);
        await using var store = await OpenAsync(PostgresLocation.Parse(settings.ConnectionString), create: false);
        await using (var connection = await store.Database.OpenAsync(default))
        {
            await ExecAsync(connection, $"SET search_path TO \"{Role}\"");
        }

        var ex = await Assert.ThrowsAsync<OperationalException>(() => store.ReadIdentityAsync(default));
        await store.Releases.RegisterAsync(Draft(), default);

        Assert.Contains($"(schema {schema}) is not what this connection reads: its current schema is {Role} (search_path {Role})", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM \"{schema}\".releases"));
        Assert.Equal(before, await RowsInTheRolesStoreAsync());
    }

    // Transaction pooling hands each transaction whatever server connection is free; another client may have left its own
    // path on it (a session SET). The store's transactions set the path for themselves.
    [Fact]
    public async Task BeginAsync_SessionOnAnotherSchema_TransactionRunsInTheStoresSchemaAndLeavesTheSessionAsItWas()
    {
        var schema = NewSchema();
        await using var store = await OpenAsync(Location(schema), create: true);
        await using var connection = await store.Database.OpenAsync(default);
        await ExecAsync(connection, "SET search_path TO public");

        await using (var tx = await store.Database.BeginAsync(connection, default))
        {
            Assert.Equal(schema, await CurrentSchemaAsync(connection, tx));
            await tx.CommitAsync();
        }

        Assert.Equal("public", await CurrentSchemaAsync(connection, null));
    }

    [Fact]
    public async Task OpenAsync_PoolerRefusesTheSearchPathStartupParameter_ErrorNamesThePoolerAndTheFix()
    {
        await using var pooler = new StartupRefusingPooler();
        var location = PostgresLocation.Parse($"Host=127.0.0.1;Port={pooler.Port};Database=gp;Username=gp_app;Password=Zq7xWv9k;SSL Mode=Disable;Timeout=5;Search Path=staging");

        var ex = await Assert.ThrowsAsync<OperationalException>(() => PostgresStore.OpenAsync(location, create: false, default));

        Assert.Equal("staging", pooler.LastStartup["search_path"]);
        Assert.StartsWith($"cannot open the store at {location.Display}: 08P01: unsupported startup parameter: search_path. ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a connection pooler such as PgBouncer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ignore_startup_parameters = search_path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ALTER ROLE gp_app SET search_path = staging", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq7xWv9k", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static string NewSchema() => "s_" + Guid.NewGuid().ToString("N");

    private PostgresLocation Location(string schema) => PostgresLocation.Parse(PostgresTestServer.For(database.Name, schema).ConnectionString);

    private static Task<PostgresStore> OpenAsync(PostgresLocation location, bool create) => PostgresStore.OpenAsync(location, create, default);

    // The role's default path in this database is the store's schema while `run` runs (what ALTER ROLE … SET search_path does for every database).
    private async Task<T> WithRoleDefaultAsync<T>(string schema, Func<Task<T>> run)
    {
        await PostgresTestServer.ExecAsync(database.Name, $"ALTER ROLE {Role} IN DATABASE {database.Name} SET search_path = {schema}");
        try
        {
            return await run();
        }
        finally
        {
            await PostgresTestServer.ExecAsync(database.Name, $"ALTER ROLE {Role} IN DATABASE {database.Name} RESET search_path");
        }
    }

    private Task<object?> ScalarAsync(string sql) => PostgresTestServer.ScalarAsync(database.Name, sql);

    // The rows of the store the role's default path reaches ("$user": the schema named after the role), shared by this class's tests.
    private async Task<long> RowsInTheRolesStoreAsync() =>
        (long)(await ScalarAsync($"SELECT (SELECT count(*) FROM \"{Role}\".gate_verdicts) + (SELECT count(*) FROM \"{Role}\".releases)"))!;

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> CurrentSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction? tx)
    {
        await using var cmd = new NpgsqlCommand("SELECT current_schema()", connection, tx);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static ReleaseDraft Draft() => new()
    {
        Id = "aaa",
        App = "app",
        CanonicalJson = "{}",
        Author = "ana",
        CreatedAt = DateTimeOffset.Parse("2026-11-26T10:00:00Z", CultureInfo.InvariantCulture),
    };

    private static GateVerdictRecord Verdict() => new("v1", "app", "aaa", "aaa", "sha", "pass", null, DateTimeOffset.UnixEpoch, "{}");
}
