using Glidepath.Storage.Postgres;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// The limits every transaction of the store runs with: a lock wait ends on the server, as a lock timeout, before
/// Npgsql's command timeout would end it from the client; a session left idle in a transaction is ended by the server.
/// Set per transaction (SET LOCAL), so nothing is left on a pooled session, and TCP keepalives on the client's sockets.
/// </summary>
public sealed class PostgresSessionLimitsTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public void For_NpgsqlsDefaultCommandTimeout_LockTimeoutTwentySecondsAndIdleTen() =>
        Assert.Equal(new PostgresSessionLimits(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)), PostgresSessionLimits.For(new NpgsqlConnectionStringBuilder()));

    [Theory]
    [InlineData(3, 2000)]
    [InlineData(1, 666)]
    [InlineData(0, 20_000)] // no command timeout: the lock wait is still bounded
    public void For_LocationsCommandTimeout_LockTimeoutTwoThirdsOfIt(int commandTimeoutSeconds, int lockTimeoutMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(lockTimeoutMs), PostgresSessionLimits.For(new NpgsqlConnectionStringBuilder { CommandTimeout = commandTimeoutSeconds }).LockTimeout);

    [Fact]
    public void AddClientKeepAlives_LocationWithoutThem_TurnsThemOn()
    {
        var settings = new NpgsqlConnectionStringBuilder("Host=db;Database=d");

        PostgresSessionLimits.AddClientKeepAlives(settings);

        Assert.Equal((10, 5), (settings.TcpKeepAliveTime, settings.TcpKeepAliveInterval));
    }

    [Theory]
    [InlineData("Host=db;Database=d;TCP Keepalive Time=60", 60, 0)]
    [InlineData("Host=db;Database=d;TCP Keepalive=true", 0, 0)] // the system's own keepalive times, as asked
    public void AddClientKeepAlives_LocationSetsThem_LeftAsSet(string location, int time, int interval)
    {
        var settings = new NpgsqlConnectionStringBuilder(location);

        PostgresSessionLimits.AddClientKeepAlives(settings);

        Assert.Equal((time, interval), (settings.TcpKeepAliveTime, settings.TcpKeepAliveInterval));
    }

    [Fact]
    public async Task BeginAsync_Transaction_RunsWithTheLimitsAndLeavesTheSessionAsItWas()
    {
        var settings = PostgresTestServer.For(database.Name, NewSchema());
        settings.CommandTimeout = 6;
        await using var store = await PostgresStore.OpenAsync(PostgresLocation.Parse(settings.ConnectionString), create: true, default);
        await using var connection = await store.Database.OpenAsync(default);

        await using (var tx = await store.Database.BeginAsync(connection, default))
        {
            Assert.Equal(
                ("4s", "10s", "10", "5", "3"),
                (await ShowAsync(connection, "lock_timeout"), await ShowAsync(connection, "idle_in_transaction_session_timeout"),
                    await ShowAsync(connection, "tcp_keepalives_idle"), await ShowAsync(connection, "tcp_keepalives_interval"), await ShowAsync(connection, "tcp_keepalives_count")));
            await tx.CommitAsync();
        }

        // SET LOCAL: gone with the transaction, so nothing is left on a pooled session (or on a pooler's server connection).
        Assert.Equal(("0", "0"), (await ShowAsync(connection, "lock_timeout"), await ShowAsync(connection, "idle_in_transaction_session_timeout")));
    }

    private static string NewSchema() => "s_" + Guid.NewGuid().ToString("N");

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting)
    {
        await using var cmd = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
