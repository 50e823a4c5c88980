using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// An outside trial: a gateway dropped traces batch after batch while <c>/readyz</c> said <c>"store_writes":"ok"</c>.
/// A batch the store refuses while it can be read is dropped and counted, and <c>store_writes</c> says
/// <c>dropping</c> (<c>"status":"degraded"</c>) until a write succeeds again.
/// </summary>
public sealed class StoreRefusalTests
{
    private const int Requests = 5;

    [Fact]
    public async Task WriteBatch_StoreRefusesTheTraces_ReadyzSaysDroppingUntilAWriteSucceeds()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();
        await using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = f.StorePath, Pooling = false }.ToString());
        await other.OpenAsync();
        // Another process's change to the schema makes the store refuse every trace, while it can still be read.
        await ExecuteAsync(other, "CREATE TRIGGER gp_test_refuse BEFORE INSERT ON traces BEGIN SELECT RAISE(ABORT, 'refused (test)'); END");

        for (var i = 0; i < Requests; i++)
        {
            using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        var refusing = await f.ReadyUntilAsync(r => r.GetProperty("traces_dropped").GetInt64() == Requests && r.GetProperty("traces_queued").GetInt64() == 0);
        Assert.Equal(("dropping", "degraded", "ok"), (refusing.GetProperty("store_writes").GetString(), refusing.GetProperty("status").GetString(), refusing.GetProperty("control_plane").GetString()));
        Assert.NotEqual(JsonValueKind.Null, refusing.GetProperty("store_writes_since").ValueKind);
        Assert.Equal(JsonValueKind.Null, refusing.GetProperty("store_busy_since").ValueKind);
        Assert.False(refusing.TryGetProperty("store_writes_reason", out _)); // names the store: only with a token

        await ExecuteAsync(other, "DROP TRIGGER gp_test_refuse");
        using (var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat()))
        {
            await f.TraceAsync(r.Headers.GetValues("Glidepath-Trace").Single());
        }

        var after = await f.ReadyUntilAsync(r => r.GetProperty("store_writes").GetString() == "ok");
        Assert.Equal(("ready", (long)Requests), (after.GetProperty("status").GetString(), after.GetProperty("traces_dropped").GetInt64()));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("store_writes_since").ValueKind);
        await f.StopGatewayAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
