using System.Globalization;
using Glidepath.Extensions.AI;
using Glidepath.Serving.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// What a gateway's <c>/readyz</c> shows of its control plane, an app shows on <see cref="GlidepathRuntime"/>: how the
/// store's changes arrive (<see cref="GlidepathRuntime.Changes"/>) and whether a newer glidepath migrated the store
/// (<see cref="GlidepathRuntime.NewerSchema"/>); pushes can be turned off as <c>serve --poll-only</c> does
/// (<see cref="GlidepathOptions.FollowPushes"/>); and the log lines say so in an app's words, not a gateway's (they
/// named <c>--poll-only</c> and "this gateway" to an app that has neither). The store is SQLite, with a watch that stands
/// in for PostgreSQL's LISTEN/NOTIFY (<see cref="WatchedStore"/>).
/// </summary>
public sealed class ControlPlaneStateTests : IAsyncLifetime
{
    private readonly KeptLog _log = new();
    private ServingWorld _world = null!;

    public async Task InitializeAsync() => _world = await ServingWorld.CreateAsync(prefix: "gp-sdk-cp-");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task PushesDoNotArrive_ChangesSaysSo_TheLogTellsTheAppHowToTurnThemOff()
    {
        await using var runtime = await StartAsync(new WatchedStore(_world.Store, echo: false));

        await UntilAsync(() => runtime.Changes == ChangeFeed.PushesNotArriving && Warnings().Count > 0, "the push check to find that pushes do not arrive");

        Assert.Equal(
            "Changes pushed by the store of staging are not reaching this app (a NOTIFY it sent did not come back within 2 s); a connection pooler in transaction mode cannot hold a LISTEN session: set GlidepathOptions.FollowPushes = false or connect this app to PostgreSQL directly; following by polling every 200 ms meanwhile (logged once, until a NOTIFY comes back)",
            Assert.Single(Warnings()));
        Assert.False(runtime.ControlPlane.Stale); // serving is fine: the app polls meanwhile
    }

    [Fact]
    public async Task PushesArrive_ChangesPushed()
    {
        await using var runtime = await StartAsync(new WatchedStore(_world.Store, echo: true));

        await UntilAsync(() => runtime.Changes != ChangeFeed.PushedNotCheckedYet, "the first probe to be judged");

        Assert.Equal(ChangeFeed.Pushed, runtime.Changes);
        Assert.Empty(Warnings());
    }

    [Fact]
    public async Task FollowPushesOff_TheStoreIsNotWatched_ChangesPolled_AChangeIsFollowedByPolling()
    {
        var store = new WatchedStore(_world.Store, echo: true);
        await using var runtime = await StartAsync(store, followPushes: false);
        var polledAtStart = runtime.Changes;

        var frozen = await _world.SetAsync(s => s with { Frozen = true, FrozenReason = "behind a pooler" }, "freeze");
        await UntilAsync(() => runtime.Chat.Routes?.Revision == frozen.Revision, "the freeze to be served");

        Assert.Equal(ChangeFeed.Polled, polledAtStart);
        Assert.Equal(ChangeFeed.Polled, runtime.Changes);
        Assert.True(runtime.Chat.Routes!.Frozen);
        Assert.Equal(0, store.Listened);
    }

    [Fact]
    public async Task StoreMigratedByANewerGlidepath_NewerSchemaSet_LogAdvisesUpgradingTheApp_ClearedWhenItIsBack()
    {
        await using var runtime = await StartAsync(_world.Store);
        var known = Convert.ToInt32(await ScalarAsync("SELECT MAX(version) FROM schema_migrations"), CultureInfo.InvariantCulture);
        var before = runtime.NewerSchema;

        await ScalarAsync($"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({known + 1}, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z')");
        await UntilAsync(() => runtime.NewerSchema is not null, "the runtime to read the newer schema");
        var newer = runtime.NewerSchema;
        var stale = runtime.ControlPlane.Stale;
        await ScalarAsync($"DELETE FROM schema_migrations WHERE version = {known + 1}");
        await UntilAsync(() => runtime.NewerSchema is null, "the runtime to read the schema it knows again");

        Assert.Null(before);
        Assert.Equal(new ControlPlaneStatus.SchemaAhead(known + 1, known), newer);
        Assert.False(stale); // the store is read and followed; only outdated
        var error = Assert.Single(_log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(
            $"The store of staging was migrated to schema {known + 1} by a newer glidepath; this glidepath (schema {known}) may drop what the new version records, so upgrade this app's Glidepath packages (Glidepath.Extensions.AI and those it brings) and restart it (it goes on serving meanwhile; logged once)",
            error.Text);
    }

    [Fact]
    public async Task NotStarted_ChangesAndNewerSchemaThrowAsControlPlaneDoes()
    {
        await using var runtime = new GlidepathRuntime(Options(_world.Store, followPushes: true), _log);

        Assert.Throws<InvalidOperationException>(() => runtime.Changes);
        Assert.Throws<InvalidOperationException>(() => runtime.NewerSchema);
    }

    private async Task<GlidepathRuntime> StartAsync(Glidepath.Storage.IGlidepathStore store, bool followPushes = true)
    {
        var runtime = new GlidepathRuntime(Options(store, followPushes), _log);
        await runtime.StartAsync(CancellationToken.None);
        return runtime;
    }

    private GlidepathOptions Options(Glidepath.Storage.IGlidepathStore store, bool followPushes) => new()
    {
        Environment = "staging",
        Manifest = _world.ManifestPath,
        StoreInstance = store,
        Models = _world.Models,
        PollInterval = TimeSpan.FromMilliseconds(100),
        FollowPushes = followPushes,
    };

    private List<string> Warnings() => [.. _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Text)];

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _world.StorePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Waits for a state the runtime reaches on its own (the 30 s bound only turns a hang into a failure).</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}");
            await Task.Delay(20);
        }
    }
}
