using Glidepath.Testing;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// A fresh database per test class (<c>gp_test_&lt;random&gt;</c>), dropped when the class is done; each store a test
/// creates gets a schema of its own inside it, so no test sees another's rows.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    public string Name { get; } = "gp_test_" + Guid.NewGuid().ToString("N");

    public async Task InitializeAsync() => await PostgresTestServer.ExecAsync("postgres", $"CREATE DATABASE {Name}");

    // A connection some test left open must not keep the database alive (see TestPostgres.DropDatabaseAsync).
    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(Name);
}
