using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>Pooled connections to one store: its database, with the search path set to the store's schema.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(PostgresLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
        var settings = new NpgsqlConnectionStringBuilder(location.Settings.ConnectionString) { SearchPath = location.Schema };
        _source = NpgsqlDataSource.Create(settings);
    }

    public PostgresLocation Location { get; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes a transaction-scoped advisory lock named by <paramref name="parts"/> in this store's schema: writers that
    /// must see each other's rows (a compare-and-swap, a numbering, a read-merge-write of an aggregate) queue on it.
    /// </summary>
    public async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", connection, tx);
        cmd.Parameters.AddWithValue("k", LockKey(parts));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal string LockKey(params string[] parts) => Location.Schema + "\u001f" + string.Join('\u001f', parts);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
