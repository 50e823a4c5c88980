using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// One query run once per call on a hot path with different values (the response cache's read, once per eval case): a
/// few connections kept open, each with the statement prepared once, instead of a pooled open, a parse and a plan on every
/// call (about a tenth of a fully cached 10,000-case run's CPU went to SQLite, a third of that to compiling this one
/// statement again; docs/benchmarks.md). The kept connections go when the database's pool is cleared (the file was
/// replaced, the store disposed): one idle then is closed at once, one in use when it comes back.
/// </summary>
internal sealed class SqlitePreparedQuery
{
    private readonly SqliteDatabase _database;
    private readonly string _sql;
    private readonly string[] _parameters;
    private readonly ConcurrentBag<Prepared> _idle = [];

    // At most this many idle connections are kept: the calls run synchronously in SQLite, so no more than about one per
    // core is ever in use at once; a burst beyond that goes back to the pool.
    private readonly int _keep = Math.Max(2, Environment.ProcessorCount);
    private int _prepares;

    public SqlitePreparedQuery(SqliteDatabase database, string sql, params string[] parameters)
    {
        _database = database;
        _sql = sql;
        _parameters = parameters;
        database.PoolClearing += Drain;
    }

    /// <summary>How many times the statement was prepared (a connection opened for it): for tests.</summary>
    internal int Prepares => Volatile.Read(ref _prepares);

    /// <summary>The first column of the first row for <paramref name="values"/> (in the order of the parameters), or null.</summary>
    public async Task<object?> ScalarAsync(object[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var prepared = Take() ?? await PrepareAsync(cancellationToken).ConfigureAwait(false);
        object? result;
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                prepared.Command.Parameters[i].Value = values[i];
            }

            result = await prepared.Command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A connection that failed (the file gone, a busy lock) is not kept: the next call opens a fresh one.
            await prepared.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await ReturnAsync(prepared).ConfigureAwait(false);
        return result;
    }

    private Prepared? Take()
    {
        while (_idle.TryTake(out var prepared))
        {
            if (prepared.Generation == _database.PoolGeneration)
            {
                return prepared;
            }

            prepared.Dispose();
        }

        return null;
    }

    private async Task<Prepared> PrepareAsync(CancellationToken cancellationToken)
    {
        // Read before the open: a clear in between leaves this connection marked old, and it is not kept.
        var generation = _database.PoolGeneration;
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = connection.CreateCommand();
            command.CommandText = _sql;
            foreach (var name in _parameters)
            {
                command.Parameters.Add(name, SqliteType.Text);
            }

            command.Prepare();
            Interlocked.Increment(ref _prepares);
            return new Prepared(connection, command, generation);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask ReturnAsync(Prepared prepared)
    {
        if (prepared.Generation != _database.PoolGeneration || _idle.Count >= _keep)
        {
            await prepared.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _idle.Add(prepared);

        // Cleared while it was going back: it is not left open on a file the store has let go of.
        if (prepared.Generation != _database.PoolGeneration)
        {
            Drain();
        }
    }

    /// <summary>Closes the idle connections (before the pool is cleared, so they are closed with it, not kept by it).</summary>
    private void Drain()
    {
        while (_idle.TryTake(out var prepared))
        {
            prepared.Dispose();
        }
    }

    private sealed class Prepared(SqliteConnection connection, SqliteCommand command, long generation) : IDisposable, IAsyncDisposable
    {
        public SqliteCommand Command { get; } = command;

        public long Generation { get; } = generation;

        public void Dispose()
        {
            Command.Dispose();
            connection.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            await Command.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
