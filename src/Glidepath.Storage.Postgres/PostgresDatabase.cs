using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Pooled connections to one store: its database, with the search path set to the store's schema (and checked on each
/// new connection, <see cref="PostgresSchemaCheck"/>), TCP keepalives on, and transactions that set the search path
/// again and end their lock waits and idle sessions on the server (<see cref="PostgresSessionLimits"/>).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _begin;

    public PostgresDatabase(PostgresLocation location)
        : this(location, null)
    {
    }

    /// <param name="limits">Null: <see cref="PostgresSessionLimits.For"/> the location's settings (tests set short ones).</param>
    internal PostgresDatabase(PostgresLocation location, PostgresSessionLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
        var settings = new NpgsqlConnectionStringBuilder(location.Settings.ConnectionString);
        if (location.SendsSearchPath)
        {
            settings.SearchPath = location.Schema;
        }

        PostgresSessionLimits.AddClientKeepAlives(settings);
        Limits = limits ?? PostgresSessionLimits.For(settings);
        _begin = Limits.SetLocalSql(location.Schema);
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UsePhysicalConnectionInitializer(
            _ => throw new NotSupportedException("the store's connections are opened with OpenAsync"),
            connection => PostgresSchemaCheck.OnConnectAsync(location, connection));
        _source = builder.Build();
    }

    public PostgresLocation Location { get; }

    /// <summary>The lock and idle timeouts every transaction of <see cref="BeginAsync"/> runs with.</summary>
    internal PostgresSessionLimits Limits { get; }

    /// <summary>
    /// Begins a transaction on <paramref name="connection"/> in the store's schema (its search path set for the
    /// transaction, so it holds on whatever server connection a transaction pooler hands out) with the store's
    /// <see cref="Limits"/>: a lock wait in it ends in a lock timeout (55P03), and the server ends the session if it sits
    /// idle in it (its client hung or gone).
    /// </summary>
    public async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var limits = new NpgsqlCommand(_begin, connection, tx);
            await limits.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

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
