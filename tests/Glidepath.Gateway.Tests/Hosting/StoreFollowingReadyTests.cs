using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Storage;
using Microsoft.Data.Sqlite;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// An outside trial, two ways a gateway's control plane went wrong while <c>/readyz</c> said <c>ok</c>: behind a pooler in
/// transaction mode the store's pushed changes never arrived (rollbacks waited for the 5 s safety poll), and a store a
/// newer glidepath migrated under an old gateway lost what the new schema records. Both are said in <c>/readyz</c> now;
/// the first also turns the gateway to polling as <c>--poll-only</c> does. The store here is SQLite, with a watch that
/// stands in for PostgreSQL's (the real one: the integration tests).
/// </summary>
public sealed class StoreFollowingReadyTests
{
    // The safety poll is an hour: only the fast poll of a gateway whose pushes do not arrive can explain a change served.
    private static readonly TimeSpan HourLongPoll = TimeSpan.FromHours(1);

    [Fact]
    public async Task PushesDoNotArrive_ReadyzSaysSo_StaysReady_AndTheGatewayFollowsChangesByPolling()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(s => s with { Watch = new DeafWatch(), PollInterval = HourLongPoll });

        var ready = await f.ReadyUntilAsync(r => r.GetProperty("changes").GetString() == "polling (pushed changes not arriving)");
        // Two changes: the refresh the lost probe asks for at once may see the first; only polling explains the second.
        var frozen = await f.SetAsync(s => s with { Frozen = true, FrozenReason = "pushed nowhere" }, "freeze");
        await f.WaitForRevisionAsync(frozen.Revision);
        var unfrozen = await f.SetAsync(s => s with { Frozen = false, FrozenReason = null }, "unfreeze");
        await f.WaitForRevisionAsync(unfrozen.Revision);
        using var response = await f.Http.GetAsync(f.Url + "/readyz?scope=control-plane");

        Assert.Equal("ready", ready.GetProperty("status").GetString()); // serving is fine: nothing turns degraded or 503
        Assert.Equal("ok", ready.GetProperty("control_plane").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PushesArrive_ReadyzSaysPushed()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(s => s with { Watch = new EchoWatch(), PollInterval = HourLongPoll });

        var ready = await f.ReadyUntilAsync(r => r.GetProperty("changes").GetString() != "pushed (not checked yet)");

        Assert.Equal("pushed", ready.GetProperty("changes").GetString());
    }

    [Fact]
    public async Task NoWatch_ReadyzSaysPolling()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();

        var ready = await f.ReadyUntilAsync(r => r.TryGetProperty("changes", out _));

        Assert.Equal("polling", ready.GetProperty("changes").GetString());
    }

    [Fact]
    public async Task StoreMigratedByANewerGlidepath_ControlPlaneOutdated_TrafficServed_ControlPlaneScope503()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();
        var known = Convert.ToInt32(await ScalarAsync(f.StorePath, "SELECT MAX(version) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture);

        await ScalarAsync(f.StorePath, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({known + 1}, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z')");
        var ready = await f.ReadyUntilAsync(r => r.GetProperty("control_plane").GetString() == "outdated");
        using var controlPlane = await f.Http.GetAsync(f.Url + "/readyz?scope=control-plane");
        using var traffic = await f.Http.GetAsync(f.Url + "/readyz");
        using var chat = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal("degraded", ready.GetProperty("status").GetString());
        Assert.Equal(
            $"the store was migrated to schema {known + 1} by a newer glidepath; this gateway (schema {known}) serves and follows changes, but may drop what the new version records: upgrade and restart it",
            ready.GetProperty("outdated_reason").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, controlPlane.StatusCode);
        Assert.Equal(HttpStatusCode.OK, traffic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Listens (says so with a resync) and hears nothing, as a LISTEN behind a pooler in transaction mode.</summary>
    private sealed class DeafWatch : IRevisionWatch
    {
        public async Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken)
        {
            changed(RevisionNotice.Resync);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public Task ProbeAsync(string token, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Hears every probe it sends, as a LISTEN on a direct connection does.</summary>
    private sealed class EchoWatch : IRevisionWatch
    {
        private Action<RevisionNotice>? _changed;

        public async Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken)
        {
            _changed = changed;
            changed(RevisionNotice.Resync);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public Task ProbeAsync(string token, CancellationToken cancellationToken)
        {
            _changed?.Invoke(RevisionNotice.Probe(token));
            return Task.CompletedTask;
        }
    }
}
