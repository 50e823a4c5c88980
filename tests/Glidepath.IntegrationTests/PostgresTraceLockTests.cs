using System.Net;
using System.Text.Json;
using Glidepath.Gateway;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;
using Npgsql;

namespace Glidepath.IntegrationTests;

/// <summary>
/// An outside trial with two gateways on one PostgreSQL: gateway B's link froze while its trace writer held an aggregate
/// row's advisory lock inside its transaction ("idle in transaction"). Gateway A's writer waited on that lock until
/// Npgsql's 30 s command timeout, the timeout counted as a refusal, and A dropped every batch for 30-90 s while
/// <c>/readyz</c> said <c>store_writes: ok</c>. Here a second session holds the same row's lock in an open transaction:
/// the gateway's lock wait ends as a lock timeout (the store is busy), its batch is kept, and every trace is written
/// once the lock is let go.
/// </summary>
public sealed class PostgresTraceLockTests : IAsyncLifetime
{
    private const int WhileLocked = 10;

    private readonly HttpClient _http = new();
    private TestPostgres _db = null!;
    private SampleApp _app = null!;
    private IGlidepathStore _gatewayStore = null!;
    private ModelClientFactory _models = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _app = await SampleApp.CreateAsync(storeLocation: _db.ConnectionString);
        // A short command timeout, so that the test meets it: the lock timeout is two thirds of it (2 s). Before the fix
        // the wait ended at the command timeout and the batch was dropped.
        var location = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { CommandTimeout = 3 }.ConnectionString;
        _gatewayStore = await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(location, create: false, TimeProvider.System, default);
        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        _gateway = await GatewayServer.StartAsync(ServingOptions.For(_gatewayStore, _app.Manifest, "staging", _models) with
        {
            Rollouts = null,
            Monitor = null,
            PollInterval = TimeSpan.FromMilliseconds(100),
            Time = new StoppedWallClock(DateTimeOffset.UtcNow), // every trace in one minute: one aggregate row, whichever minute the test runs in
        }, new GatewayServerOptions { Urls = ["http://127.0.0.1:0"], LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning }, default);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        _models.Dispose();
        await _gatewayStore.DisposeAsync();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task WriteBatch_AnotherSessionHoldsTheAggregateRowsLock_TracesKeptAsBusyAndAllWrittenOnceItIsLetGo()
    {
        await ServeAsync();
        await UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM glidepath.traces") == 1, "the first trace to be written");

        await using (var holder = await ConnectAsync())
        {
            // The lock the trace writer takes for that row (PostgresTraceAggregates.LockKey), held in an open transaction.
            await ExecAsync(holder, "BEGIN");
            await ExecAsync(holder, """
                SELECT pg_advisory_xact_lock(hashtextextended(concat_ws(chr(31), 'glidepath', 'trace_aggregates', app, environment, release_id, arm, minute, grp::text), 0))
                FROM glidepath.trace_aggregates
                """);
            for (var i = 0; i < WhileLocked; i++)
            {
                await ServeAsync();
            }

            // Until the writer has met the lock (it says busy; a writer that drops counts the traces instead) and every
            // trace is accounted for. The deadline only turns "never" into a failure.
            var locked = await ReadyUntilAsync(r => (r.GetProperty("store_writes").GetString() == "busy" || Dropped(r) > 0)
                && r.GetProperty("traces_queued").GetInt64() + Dropped(r) == WhileLocked);
            Assert.Equal(0, Dropped(locked));
            Assert.Equal(("busy", "degraded", WhileLocked), (locked.GetProperty("store_writes").GetString(), locked.GetProperty("status").GetString(), locked.GetProperty("traces_queued").GetInt64()));
            await ExecAsync(holder, "ROLLBACK");
        }

        await UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM glidepath.traces") == WhileLocked + 1, "the kept traces to be written");
        var after = await ReadyUntilAsync(r => r.GetProperty("store_writes").GetString() == "ok" && r.GetProperty("traces_queued").GetInt64() == 0);
        Assert.Equal((0L, "ready"), (Dropped(after), after.GetProperty("status").GetString()));
        Assert.Equal(WhileLocked + 1, await ScalarAsync("SELECT sum(count) FROM glidepath.trace_aggregates")); // each counted once
    }

    private static long Dropped(JsonElement ready) => ready.GetProperty("traces_dropped").GetInt64();

    private async Task ServeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _gateway.Urls[0] + "/v1/chat/completions")
        {
            Content = SampleApp.Json("""{"model":"support-agent","messages":[{"role":"user","content":"How long does shipping take?"}]}"""),
        };
        request.Headers.Add("Glidepath-Subject", "one-subject"); // one subject group: one aggregate row
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<JsonElement> ReadyUntilAsync(Func<JsonElement, bool> condition)
    {
        JsonElement ready = default;
        await UntilAsync(async () =>
        {
            using var response = await _http.GetAsync(_gateway.Urls[0] + "/readyz");
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ready = doc.RootElement.Clone();
            return condition(ready);
        }, "/readyz to reach the expected state");
        return ready;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}"); // a guard against a hang
            await Task.Delay(20);
        }
    }

    /// <summary>A wall clock that stands still while timers run in real time: every trace falls in one minute.</summary>
    private sealed class StoppedWallClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
