using Glidepath.Testing;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests use: <c>GLIDEPATH_TEST_POSTGRES</c> (an Npgsql connection string), which test.sh sets
/// to the throwaway cluster <c>scripts/setup-test-deps.sh start</c> runs on a free port for that run; without it, the
/// same role on 127.0.0.1:5432. Its password is a fixed test-only value, not a secret. There is no skip: without a
/// server these tests fail.
/// </summary>
internal static class PostgresTestServer
{
    public static string ConnectionString => TestPostgres.Server;

    /// <summary>Settings for <paramref name="database"/> on the test server, optionally with the store in <paramref name="schema"/>.</summary>
    public static NpgsqlConnectionStringBuilder For(string database, string? schema = null)
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Pooling = false };
        if (schema is not null)
        {
            settings.SearchPath = schema;
        }

        return settings;
    }

    public static Task ExecAsync(string database, string sql) => TestPostgres.ExecAsync(database, sql);

    public static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(For(database).ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }
}
