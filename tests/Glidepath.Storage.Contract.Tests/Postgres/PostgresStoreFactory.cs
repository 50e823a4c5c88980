using System.Collections.Concurrent;
using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Storage.Postgres;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// Stores on the test server, each in a new schema of the test class's database (an Npgsql connection string, the
/// schema as its search path). The database is dropped by <see cref="PostgresTestDatabase"/> at the end of the class.
/// </summary>
internal sealed class PostgresStoreFactory(PostgresTestDatabase database) : ProviderStoreFactory(new PostgresStoreProvider())
{
    // Location (shown without the password) → the connection string it was opened with, as a second process would be given it.
    private readonly ConcurrentDictionary<string, string> _opened = new(StringComparer.Ordinal);

    protected override string NewLocation()
    {
        var location = PostgresTestServer.For(database.Name, "s_" + Guid.NewGuid().ToString("N")).ConnectionString;
        _opened[PostgresLocation.Parse(location).Display] = location;
        return location;
    }

    protected override string LocationOf(IGlidepathStore store) => _opened.TryGetValue(store.Location, out var location) ? location : store.Location;
}
