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
        await ExecAsync("postgres", $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
    }
}
