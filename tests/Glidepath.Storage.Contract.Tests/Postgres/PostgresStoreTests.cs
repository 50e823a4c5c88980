using System.Globalization;
using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Releases;
using Glidepath.Storage.Contract.Tests.Contracts;
using Glidepath.Storage.Postgres;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>What only the PostgreSQL store has: concurrent migration, guards in the database, redaction, the provider's forms.</summary>
public sealed class PostgresStoreTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private const string Password = "Sup3r-Secret-Pw";

    private static readonly PostgresStoreProvider Provider = new();

    private readonly List<IGlidepathStore> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenAsync_FourProcessesOpenANewStoreAtOnce_EachMigrationAppliedOnceAndOneIdentity()
    {
        var schema = NewSchema();
        var location = PostgresTestServer.For(database.Name, schema).ConnectionString;

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync(location, create: true)));

        var applied = await PostgresTestServer.ScalarAsync(database.Name, $"SELECT count(*) || '/' || count(DISTINCT version) FROM {schema}.schema_migrations");
        Assert.Equal($"{PostgresMigrator.All.Count}/{PostgresMigrator.All.Count}", applied);
        var ids = await Task.WhenAll(stores.Select(s => s.ReadIdentityAsync(default)));
        Assert.Single(ids.Select(i => i.StoreId).Distinct());
    }

    [Fact]
    public async Task OpenAsync_AgainOnAMigratedStore_AppliesNothingAndKeepsItsIdentity()
    {
        var location = PostgresTestServer.For(database.Name, NewSchema()).ConnectionString;
        var first = await (await OpenAsync(location, create: true)).ReadIdentityAsync(default);

        var again = await (await OpenAsync(location, create: false)).ReadIdentityAsync(default);

        Assert.Equal(first.StoreId, again.StoreId);
        Assert.Equal(first.SubjectKey, again.SubjectKey);
    }

    [Theory]
    [InlineData("UPDATE releases SET author = 'mallory'", "releases are immutable")]
    [InlineData("DELETE FROM releases", "releases are immutable")]
    [InlineData("UPDATE release_provenance SET author = 'mallory'", "release provenance is append-only")]
    [InlineData("DELETE FROM environment_events", "environment history is append-only")]
    [InlineData("UPDATE environment_events SET actor = 'mallory'", "environment history is append-only")]
    [InlineData("TRUNCATE environment_events", "environment history is append-only")]
    [InlineData("DELETE FROM gate_verdicts", "gate verdicts are immutable")]
    [InlineData("TRUNCATE rollout_decisions", "rollout decisions are append-only")]
    [InlineData("UPDATE store_identity SET created_at = 'now'", "the store identity never changes")]
    [InlineData("DELETE FROM store_identity", "the store identity never changes")]
    public async Task Triggers_ChangeOfAnImmutableRow_RefusedByTheDatabase(string sql, string message)
    {
        var schema = NewSchema();
        var store = await OpenAsync(PostgresTestServer.For(database.Name, schema).ConnectionString, create: true);
        await store.Releases.RegisterAsync(new ReleaseDraft
        {
            Id = "aaa",
            App = "app",
            CanonicalJson = "{}",
            Author = "ana",
            CreatedAt = DateTimeOffset.Parse("2026-11-26T10:00:00Z", CultureInfo.InvariantCulture),
        }, default);
        await store.Environments.ApplyAsync(EnvironmentStoreContract.Change(0, "deploy", "aaa"), default);
        await store.GateVerdicts.SaveAsync(new GateVerdictRecord("v1", "app", "aaa", "aaa", "sha", "pass", null, DateTimeOffset.UnixEpoch, "{}"), default);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => PostgresTestServer.ExecAsync(database.Name, $"SET search_path TO {schema}; {sql}"));

        Assert.Equal(PostgresErrorCodes.RestrictViolation, ex.SqlState);
        Assert.Equal(message, ex.MessageText);
    }

    [Fact]
    public async Task ReadIdentityAsync_SchemaDropped_OperationalAndNothingCreated()
    {
        var schema = NewSchema();
        var store = await OpenAsync(PostgresTestServer.For(database.Name, schema).ConnectionString, create: true);
        await PostgresTestServer.ExecAsync(database.Name, $"DROP SCHEMA {schema} CASCADE");

        await Assert.ThrowsAsync<OperationalException>(() => store.ReadIdentityAsync(default));

        Assert.Equal(false, await PostgresTestServer.ScalarAsync(database.Name, $"SELECT to_regnamespace('{schema}') IS NOT NULL"));
    }

    [Fact]
    public async Task ReadIdentityAsync_SchemaDroppedAndCreatedAgain_NewIdAndNextGeneration()
    {
        var location = PostgresTestServer.For(database.Name, NewSchema()).ConnectionString;
        var store = await OpenAsync(location, create: true);
        var before = await store.ReadIdentityAsync(default);
        await PostgresTestServer.ExecAsync(database.Name, $"DROP SCHEMA {PostgresLocation.Parse(location).Schema} CASCADE");
        await OpenAsync(location, create: true);

        var after = await store.ReadIdentityAsync(default);

        Assert.NotEqual(before.StoreId, after.StoreId);
        Assert.Equal(before.Generation + 1, after.Generation);
    }

    [Fact]
    public async Task Location_OpenedWithAPassword_ShowsNoPassword()
    {
        var settings = PostgresTestServer.For(database.Name, NewSchema());
        var store = await OpenAsync(settings.ConnectionString, create: true);

        Assert.DoesNotContain(settings.Password!, store.Location, StringComparison.Ordinal);
        Assert.StartsWith($"postgres://{settings.Username}@{settings.Host}", store.Location, StringComparison.Ordinal);
    }

    // Trial pgoutage (MEDIUM 1): a command whose connection a restart cut was told to check free disk space and that "the
    // store file" is writable. Now the server's words, PostgreSQL's advice, and never the password.
    [Fact]
    public async Task DescribeFailure_ServerRestarting_SaysSoInTheServersWords_WithoutThePassword()
    {
        var settings = PostgresTestServer.For(database.Name, NewSchema());
        var store = await OpenAsync(settings.ConnectionString, create: true);

        var restart = store.DescribeFailure(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown));
        var lost = store.DescribeFailure(new NpgsqlException("Exception while reading from stream", new IOException("connection reset")));
        var refused = store.DescribeFailure(new PostgresException("permission denied for table releases", "ERROR", "ERROR", PostgresErrorCodes.InsufficientPrivilege));
        var secret = store.DescribeFailure(new PostgresException($"password authentication failed ({settings.Password})", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword));

        Assert.Equal("57P01: terminating connection due to administrator command; the server closed the connection or is restarting; retry when it is back", restart);
        Assert.EndsWith("; the server closed the connection or is restarting; retry when it is back", lost, StringComparison.Ordinal);
        Assert.Equal("42501: permission denied for table releases", refused);
        Assert.DoesNotContain(settings.Password!, secret, StringComparison.Ordinal);
        Assert.DoesNotContain("disk", restart + lost + refused + secret, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://glidepath_test:{0}@127.0.0.1:1/db")]                 // nothing listens on port 1
    [InlineData("Host=127.0.0.1;Port=1;Username=glidepath_test;Password={0};Database=db")]
    [InlineData("postgres://glidepath_test:{0}@127.0.0.1:notaport/db")]          // not a URI
    [InlineData("Host=127.0.0.1;Password={0};Database=db;Frobnicate=yes")]      // not a connection string
    [InlineData("postgresql://glidepath_test:{0}@127.0.0.1:5432")]              // no database
    public async Task OpenAsync_Fails_MessageNeverHasThePassword(string form)
    {
        var location = string.Format(CultureInfo.InvariantCulture, form, Password);

        var ex = await Assert.ThrowsAnyAsync<GlidepathException>(() => Provider.OpenAsync(location, create: true, TimeProvider.System, default));

        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
    }

    // A password made of common letters or words: masking it inside the message garbled the message ("cannot o***en the
    // store at ***ostgres://" for "p") and so showed the password. The message stays whole.
    [Theory]
    [InlineData("p")]
    [InlineData("postgres")]
    [InlineData("store")]
    public async Task OpenAsync_Fails_ShortOrCommonPassword_MessageWholeAndWithoutIt(string password)
    {
        var location = $"postgres://glidepath_test:{password}@127.0.0.1:1/db";

        var ex = await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(location, create: true, TimeProvider.System, default));

        Assert.StartsWith("cannot open the store at postgres://glidepath_test@127.0.0.1:1/db: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("***", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($":{password}@", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WrongPassword_OperationalAndNoPassword()
    {
        var settings = PostgresTestServer.For(database.Name, NewSchema());
        settings.Password = Password;

        var ex = await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(settings.ConnectionString, create: true, TimeProvider.System, default));

        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open the store at postgres://", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NoCreateOnADatabaseWithoutTheSchema_NoStoreAndNothingCreated()
    {
        var schema = NewSchema();

        var ex = await Assert.ThrowsAsync<BadInputException>(() => Provider.OpenAsync(PostgresTestServer.For(database.Name, schema).ConnectionString, create: false, TimeProvider.System, default));

        Assert.StartsWith("no store at postgres://", ex.Message, StringComparison.Ordinal);
        Assert.Equal(false, await PostgresTestServer.ScalarAsync(database.Name, $"SELECT to_regnamespace('{schema}') IS NOT NULL"));
    }

    [Fact]
    public async Task OpenAsync_NoCreateOnADatabaseThatDoesNotExist_NoStore()
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => Provider.OpenAsync(PostgresTestServer.For("gp_none_" + Guid.NewGuid().ToString("N")).ConnectionString, create: false, TimeProvider.System, default));

        Assert.StartsWith("no store at postgres://", ex.Message, StringComparison.Ordinal);
        // A write command would not create the database either: the advice says who does.
        Assert.Contains("the database does not exist; create it first", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:p@localhost/db", true)]
    [InlineData("postgresql://u@localhost:5433/db", true)]
    [InlineData("Host=localhost;Database=x", true)]
    [InlineData("/tmp/x/glidepath.db", false)]
    [InlineData("sqlite:/tmp/x.db", false)]
    [InlineData("memory:", false)]
    public void Handles_ByForm(string location, bool expected) => Assert.Equal(expected, Provider.Handles(location));

    [Theory]
    [InlineData("postgres://ana:pw@db.example:5433/gp?schema=team_a", "postgres://ana@db.example:5433/gp?schema=team_a")]
    [InlineData("postgresql://ana:pw@db.example/gp", "postgres://ana@db.example/gp")]
    [InlineData("Host=db.example;Port=5433;Username=ana;Password=pw;Database=gp;Search Path=team_a", "postgres://ana@db.example:5433/gp?schema=team_a")]
    public void Parse_EveryForm_DisplaysOneUriWithoutThePassword(string location, string display)
    {
        var parsed = PostgresLocation.Parse(location);

        Assert.Equal(display, parsed.Display);
        Assert.Equal("pw", parsed.Settings.Password);
    }

    [Fact]
    public void Parse_SchemaThatIsNotAPlainName_BadInput() =>
        Assert.Throws<BadInputException>(() => PostgresLocation.Parse("postgres://u@h/db?schema=x;drop"));

    [Fact]
    public async Task StoreProviders_CliProviders_OpenPostgresLocations()
    {
        var providers = new StoreProviders().Add(new Glidepath.Storage.Sqlite.SqliteStoreProvider()).Add(Provider);
        var location = PostgresTestServer.For(database.Name, NewSchema()).ConnectionString;

        var store = Track(await providers.OpenAsync(location, create: true, TimeProvider.System, default));

        Assert.IsType<PostgresStore>(store);
    }

    private static string NewSchema() => "s_" + Guid.NewGuid().ToString("N");

    private async Task<IGlidepathStore> OpenAsync(string location, bool create) =>
        Track(await Provider.OpenAsync(location, create, TimeProvider.System, default));

    private IGlidepathStore Track(IGlidepathStore store)
    {
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }
}
