using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// An outside verification: another process held the SQLite store's write lock for 70 s (a <c>BEGIN EXCLUSIVE</c> kept
/// open, a long command writing) and the gateway dropped all 30 queued traces: the locked file still answered the
/// reachability probe, so each batch counted as refused. A busy store is handled as an outage: the batch is kept and
/// retried, and written once the lock is let go.
/// </summary>
public sealed class StoreBusyTests
{
    private const int Requests = 30;

    [Fact]
    public async Task WriteBatch_AnotherConnectionHoldsTheWriteLock_TracesKeptAndAllWrittenOnceItIsLetGo()
    {
        await using var f = await GatewayFixture.CreateAsync();

        // The gateway's store on the same file, waiting 300 ms for another connection's lock (30 s by default) before
        // SQLite reports BUSY: the writer meets the lock within the test, not after it.
        await using var store = await SqliteStore.OpenAsync(f.StorePath, TimeProvider.System, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        await f.StartAsync(s => ServingOptions.For(store, s.Manifest, s.Environment, s.Models) with { Rollouts = null, Monitor = null, PollInterval = s.PollInterval });

        var ids = new List<string>();
        JsonElement locked;
        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = f.StorePath, Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await ExecuteAsync(holder, "BEGIN EXCLUSIVE");
            for (var i = 0; i < Requests; i++)
            {
                using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), m => m.Headers.Add("Glidepath-Subject", "s" + i));
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                ids.Add(r.Headers.GetValues("Glidepath-Trace").Single());
            }

            // Until the writer has failed on the lock (it says busy; a writer that drops counts the traces dropped instead)
            // and every trace is accounted for: kept or dropped. The deadline only turns "never" into a failure.
            locked = await f.ReadyUntilAsync(r =>
                (r.GetProperty("store_writes").GetString() == "busy" || r.GetProperty("traces_dropped").GetInt64() > 0)
                && r.GetProperty("traces_queued").GetInt64() + r.GetProperty("traces_dropped").GetInt64() == Requests);
            await ExecuteAsync(holder, "ROLLBACK");
        }

        Assert.Equal(0, locked.GetProperty("traces_dropped").GetInt64());
        Assert.Equal(Requests, locked.GetProperty("traces_queued").GetInt64());
        Assert.Equal(("busy", "degraded", "ok"), (locked.GetProperty("store_writes").GetString(), locked.GetProperty("status").GetString(), locked.GetProperty("control_plane").GetString()));
        Assert.NotEqual(JsonValueKind.Null, locked.GetProperty("store_busy_since").ValueKind);

        // The reason names the store's file: not for an anonymous caller (it is in the log, and in /readyz with a token).
        Assert.False(locked.TryGetProperty("store_writes_reason", out _));
        Assert.DoesNotContain(Path.GetFileName(f.StorePath), locked.GetRawText(), StringComparison.Ordinal);

        foreach (var id in ids)
        {
            await f.TraceAsync(id);
        }

        var after = await f.ReadyUntilAsync(r => r.GetProperty("store_writes").GetString() == "ok" && r.GetProperty("traces_queued").GetInt64() == 0);
        Assert.Equal((0L, "ready"), (after.GetProperty("traces_dropped").GetInt64(), after.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("store_busy_since").ValueKind);
        await f.StopGatewayAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
