using Glidepath.Storage.Contract.Tests.Contracts;
using Glidepath.Storage.Postgres;
using Glidepath.Traces;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// An outside trial: one gateway's link to PostgreSQL hung while its trace writer held an aggregate row's lock inside its
/// transaction ("idle in transaction"); the other gateway's writer waited on that lock until Npgsql's 30 s command
/// timeout, the timeout counted as a refusal, and the batch was dropped, every 30 s. Now the wait ends on the server as a
/// lock timeout, a command timeout counts as busy too (the batch is kept), and the server ends a session left idle in
/// its transaction, which lets the lock go.
/// </summary>
public sealed class PostgresLockWaitTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly TimeSpan ShortLockTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task WriteBatchAsync_AnotherSessionHoldsTheAggregateRowsLock_EndsInALockTimeoutThatIsTransient_WrittenOnceLetGo()
    {
        // A command timeout well above the lock timeout: the wait must end on the server, not in the client.
        await using var store = await OpenAsync(commandTimeoutSeconds: 10, new PostgresSessionLimits(ShortLockTimeout, PostgresSessionLimits.DefaultIdleInTransactionTimeout));
        TraceRecord[] batch = [TraceStoreContract.Trace("t1")];
        await using var holder = await HoldAsync(store, batch);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.Traces.WriteBatchAsync(batch, default));

        Assert.Equal(PostgresErrorCodes.LockNotAvailable, Assert.IsType<PostgresException>(error).SqlState);
        Assert.True(store.IsTransient(error));
        Assert.Null(await store.Traces.GetAsync("t1", default));

        await holder.DisposeAsync(); // the holder's transaction ends: its lock goes
        await store.Traces.WriteBatchAsync(batch, default);
        Assert.NotNull(await store.Traces.GetAsync("t1", default));
    }

    [Fact]
    public async Task WriteBatchAsync_LockWaitEndedByTheCommandTimeout_IsTransient()
    {
        // No lock timeout (a transaction begun elsewhere, a pooler that dropped the setting): the client's timeout ends the wait.
        await using var store = await OpenAsync(commandTimeoutSeconds: 1, new PostgresSessionLimits(TimeSpan.Zero, PostgresSessionLimits.DefaultIdleInTransactionTimeout));
        TraceRecord[] batch = [TraceStoreContract.Trace("t1")];
        await using var holder = await HoldAsync(store, batch);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.Traces.WriteBatchAsync(batch, default));

        Assert.IsType<TimeoutException>(Assert.IsType<NpgsqlException>(error).InnerException);
        Assert.True(store.IsTransient(error));
    }

    [Fact]
    public async Task BeginAsync_SessionLeftIdleInItsTransaction_ServerEndsItAndItsLockIsLetGo()
    {
        await using var store = await OpenAsync(commandTimeoutSeconds: 30, new PostgresSessionLimits(TimeSpan.Zero, TimeSpan.FromMilliseconds(500)));
        var key = store.Database.LockKey("trace_aggregates", "row");

        // The store's own transaction takes a row's lock, then goes silent: a gateway whose link hung mid-transaction.
        await using var connection = await store.Database.OpenAsync(default);
        await using var tx = await store.Database.BeginAsync(connection, default);
        await store.Database.LockAsync(connection, tx, default, "trace_aggregates", "row");

        // Another session waits for that lock with no timeout of its own (the command timeout only guards against a hang):
        // it gets it once the server has ended the silent session.
        await using (var waiter = await ConnectAsync(commandTimeoutSeconds: 30))
        await using (var wait = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@k, 0))", waiter))
        {
            wait.Parameters.AddWithValue("k", key);
            await wait.ExecuteNonQueryAsync();
        }

        // The silent session's next statement meets the end of its session: transient, so its own batch is kept, not dropped.
        await using var next = new NpgsqlCommand("SELECT 1", connection, tx);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => next.ExecuteScalarAsync());
        Assert.True(store.IsTransient(error));
    }

    private async Task<PostgresStore> OpenAsync(int commandTimeoutSeconds, PostgresSessionLimits limits)
    {
        var settings = PostgresTestServer.For(database.Name, "s_" + Guid.NewGuid().ToString("N"));
        settings.CommandTimeout = commandTimeoutSeconds;
        return await PostgresStore.OpenAsync(PostgresLocation.Parse(settings.ConnectionString), create: true, limits, default);
    }

    private async Task<NpgsqlConnection> ConnectAsync(int commandTimeoutSeconds)
    {
        var settings = PostgresTestServer.For(database.Name);
        settings.CommandTimeout = commandTimeoutSeconds;
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A second session that takes the advisory lock of <paramref name="batch"/>'s aggregate row in an open transaction.</summary>
    private async Task<NpgsqlConnection> HoldAsync(PostgresStore store, IReadOnlyList<TraceRecord> batch)
    {
        var key = PostgresTraceAggregates.LockKey(store.Database, Assert.Single(TraceAggregator.Aggregate(batch)));
        var holder = await ConnectAsync(commandTimeoutSeconds: 30);
        await using (var begin = new NpgsqlCommand("BEGIN", holder))
        {
            await begin.ExecuteNonQueryAsync();
        }

        await using var hold = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", holder);
        hold.Parameters.AddWithValue("k", key);
        await hold.ExecuteNonQueryAsync();
        return holder;
    }
}
