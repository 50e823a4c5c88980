using System.Diagnostics;
using Npgsql;

namespace Glidepath.Testing;

/// <summary>
/// The PostgreSQL server of the test run (<c>GLIDEPATH_TEST_POSTGRES</c>, set by test.sh to its throwaway cluster) and
/// a database per test: <see cref="CreateDatabaseAsync"/> makes <c>gp_test_&lt;random&gt;</c>, dropped with
/// <c>WITH (FORCE)</c> when disposed. The password is a fixed test-only value, not a secret.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    private const string Default = "Host=127.0.0.1;Port=5432;Username=glidepath_test;Password=gp-test-only-pw;Database=postgres";

    private TestPostgres(string database) => Database = database;

    public static string Server => Environment.GetEnvironmentVariable("GLIDEPATH_TEST_POSTGRES") is { Length: > 0 } set ? set : Default;

    public string Database { get; }

    /// <summary>An Npgsql connection string to this database (the store in schema <c>glidepath</c>).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = Database }.ConnectionString;

    public static async Task<TestPostgres> CreateDatabaseAsync()
    {
        var db = new TestPostgres("gp_test_" + Guid.NewGuid().ToString("N"));
        await ExecAsync("postgres", $"CREATE DATABASE {db.Database}");
        return db;
    }

    public static async Task ExecAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = database, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DropDatabaseAsync(Database);
    }

    /// <summary>
    /// Drops <paramref name="database"/> and ends whatever is still connected to it (<c>WITH (FORCE)</c>). Two answers
    /// are retried for up to a minute, as they pass once the other sessions are gone: "being accessed by other users"
    /// (55006: the server waits only 5 s for the sessions it signalled to exit, and a loaded machine can take longer),
    /// and "must be a member of the role whose process is being terminated" (42501: an autovacuum worker is busy in the
    /// database and the role may not signal it; test.sh's cluster grants <c>pg_signal_backend</c>, another server may not).
    /// </summary>
    public static async Task DropDatabaseAsync(string database)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ExecAsync("postgres", $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when ((ex.SqlState is PostgresErrorCodes.ObjectInUse or PostgresErrorCodes.InsufficientPrivilege) && waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
