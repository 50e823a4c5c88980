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
/// Issue 16, fail static on PostgreSQL: the gateway reaches the database through a TCP relay the test cuts (the shared
/// test server keeps running). While cut it serves its last routing table, /readyz says stale, traces wait in the
/// bounded queue and the rest are dropped and counted; restored, it serves the change made meanwhile and writes the
/// backlog: every answered request has its trace except the ones counted as dropped.
/// </summary>
public sealed class PostgresFailStaticTests : IAsyncLifetime
{
    private const int QueueCapacity = 40;
    private const int DuringOutage = 100;

    // A guard against a hang, not a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new();
    private TestPostgres _db = null!;
    private SampleApp _app = null!;
    private TcpRelay _relay = null!;
    private IGlidepathStore _gatewayStore = null!;
    private ModelClientFactory _models = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _app = await SampleApp.CreateAsync(storeLocation: _db.ConnectionString);
        _app.ShowRoutingHeaders();
        var direct = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        _relay = new TcpRelay(direct.Host!, direct.Port);
        var relayed = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Host = "127.0.0.1", Port = _relay.Port, Timeout = 3 }.ConnectionString;
        _gatewayStore = await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(relayed, create: false, TimeProvider.System, default);
        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        _gateway = await GatewayServer.StartAsync(ServingOptions.For(_gatewayStore, _app.Manifest, "staging", _models) with
        {
            Rollouts = null,
            Monitor = null,
            PollInterval = TimeSpan.FromMilliseconds(100),
            TraceQueueCapacity = QueueCapacity,
            TraceBatchSize = 10,
        }, new GatewayServerOptions { Urls = ["http://127.0.0.1:0"], LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning }, default);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        _models.Dispose();
        await _gatewayStore.DisposeAsync();
        await _relay.DisposeAsync();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task DatabaseUnreachable_ServesLastTableBuffersTracesToTheBound_ThenCatchesUp()
    {
        var v1 = await _app.ReleaseLabelAsync(1);
        var v2 = await _app.ReleaseLabelAsync(2);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(v1, await ServedAsync());
        }

        await UntilAsync(async () => await TraceCountAsync() == 5, "the first traces to be written");

        _relay.Cut();
        await UntilAsync(async () => (await ReadyAsync()).GetProperty("control_plane").GetString() == "stale", "/readyz to say stale");
        Assert.Equal(0, (await _app.CliAsync("deploy", "v2", "--env", "staging")).Exit); // through the direct connection
        var served = new List<string>();
        for (var i = 0; i < DuringOutage; i++)
        {
            served.Add(await ServedAsync());
        }

        var cut = await ReadyAsync();

        _relay.Restore();
        await UntilAsync(async () => (await ReadyAsync()).GetProperty("control_plane").GetString() == "ok", "/readyz to say ok again");
        await UntilAsync(async () => await ServedAsync() == v2, "the deploy made during the outage to be served");
        // A trace is queued as its response completes, so the count of drops is read once nothing is in flight.
        await UntilAsync(async () => await TraceCountAsync() + Dropped(await ReadyAsync()) == Interlocked.Read(ref _answered),
            async () => $"the buffered traces to be written: {await TraceCountAsync()} written of {Interlocked.Read(ref _answered)} answered; /readyz {await ReadyAsync()}");

        Assert.All(served, r => Assert.Equal(v1, r));
        Assert.Equal(("degraded", "stale"), (cut.GetProperty("status").GetString(), cut.GetProperty("control_plane").GetString()));
        var after = await ReadyAsync();
        Assert.InRange(Dropped(after), 1, DuringOutage - QueueCapacity);
        Assert.Equal(0, after.GetProperty("traces_queued").GetInt32());
    }

    private static long Dropped(JsonElement ready) => ready.GetProperty("traces_dropped").GetInt64();

    private long _answered;

    private async Task<string> ServedAsync()
    {
        using var response = await _http.PostAsync(_gateway.Urls[0] + "/v1/chat/completions",
            SampleApp.Json("""{"model":"support-agent","messages":[{"role":"user","content":"How long does shipping take?"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Interlocked.Increment(ref _answered);
        return response.Headers.GetValues("Glidepath-Release").Single();
    }

    private async Task<JsonElement> ReadyAsync()
    {
        using var response = await _http.GetAsync(_gateway.Urls[0] + "/readyz");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private async Task<long> TraceCountAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM glidepath.traces", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what) => UntilAsync(condition, () => Task.FromResult(what));

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<Task<string>> what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed >= Hang)
            {
                Assert.Fail($"timed out waiting for {await what()}");
            }

            await Task.Delay(20);
        }
    }
}
