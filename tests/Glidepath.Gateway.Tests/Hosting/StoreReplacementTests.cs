using System.Net;
using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Releases;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// Issue 13 item 10 (split brain): the store file is deleted under a running gateway, then a new store appears at
/// the same path with another stable release. The gateway reports stale and keeps serving meanwhile, then follows
/// the new store: its routing, and its traces land in the new file.
/// </summary>
public sealed class StoreReplacementTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;
    private GatewayFixture _other = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        _other = await GatewayFixture.CreateAsync();
        _f.ShowRoutingHeaders();
        // The admin services check access tokens: /readyz gives its full stale_reason to a token of the environment.
        await _f.StartAsync(server: o => o with { Admin = new Glidepath.Gateway.Admin.AdminOptions { Manifest = _f.Manifest, Store = _f.Store } });
    }

    public async Task DisposeAsync()
    {
        await _f.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task StoreDeletedThenReplaced_StaleWhileGoneThenFollowsTheNewStore()
    {
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());

        foreach (var file in new[] { _f.StorePath, _f.StorePath + "-wal", _f.StorePath + "-shm" })
        {
            File.Delete(file);
        }

        await Eventually.TrueAsync(async () => (await ReadyAsync()).Contains("\"control_plane\":\"stale\"", StringComparison.Ordinal), "readyz never reported the deleted store stale");
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());
        Assert.False(File.Exists(_f.StorePath), "the gateway created an empty store in place of the deleted one");

        // Another store, whose staging environment serves v2, is put where the old one was.
        await _other.SetAsync(s => s with { StableReleaseId = _other.V2.Id }, "deploy");
        SqlitePools.ClearFile(_other.StorePath);
        await CheckpointAsync(_other.StorePath);
        File.Move(_other.StorePath, _f.StorePath);

        await Eventually.TrueAsync(async () => await ServedReleaseAsync() == _other.V2.Label, "the gateway never followed the new store's stable release");
        await Eventually.TrueAsync(async () => (await ReadyAsync()).Contains("\"control_plane\":\"ok\"", StringComparison.Ordinal), "readyz never recovered");

        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", "carol"));
        var traceId = response.Headers.GetValues("Glidepath-Trace").Single();
        await using var replaced = await SqliteStore.OpenAsync(_f.StorePath, TimeProvider.System, default);
        var subjectKey = (await replaced.ReadIdentityAsync(default)).SubjectKey;
        await Eventually.TrueAsync(async () => await replaced.Traces.GetAsync(traceId, default) is not null, "the trace never reached the new store");
        var trace = await replaced.Traces.GetAsync(traceId, default);
        Assert.Equal(new Glidepath.Routing.SubjectHasher(subjectKey).Hash("carol"), trace!.SubjectHash);
    }

    // A trial: a store file emptied under the gateway (a botched restore) was made into a new, empty store and
    // followed, and every request was a 503 "no stable release". Now it is a store that cannot be read: stale, the
    // last stable release served, the file left empty.
    [Fact]
    public async Task StoreFileEmptied_StaleAndStillServingTheLastStable_NothingWrittenToIt()
    {
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());

        foreach (var file in new[] { _f.StorePath, _f.StorePath + "-wal", _f.StorePath + "-shm" })
        {
            File.Delete(file);
        }

        await File.WriteAllBytesAsync(_f.StorePath, []);

        await Eventually.TrueAsync(async () => (await ReadyAsync()).Contains("\"control_plane\":\"stale\"", StringComparison.Ordinal), "readyz never reported the emptied store stale");
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());
        Assert.Equal(0, new FileInfo(_f.StorePath).Length);
    }

    // An operator trial: after the file was deleted, any write command (`tokens create`, even a failed `release
    // create`) made a new, empty store there, and the gateway followed it: every request a 503 "no stable release",
    // /readyz 503. Another store is now followed only once it has a stable release for the environment.
    [Fact]
    public async Task StoreDeletedThenANewEmptyStoreMadeThere_StaleAndServingTheLastStableUntilItHasAStableRelease()
    {
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());

        foreach (var file in new[] { _f.StorePath, _f.StorePath + "-wal", _f.StorePath + "-shm" })
        {
            File.Delete(file);
        }

        await Eventually.TrueAsync(async () => (await ReadyAsync()).Contains("\"control_plane\":\"stale\"", StringComparison.Ordinal), "readyz never reported the deleted store stale");

        // What `glidepath tokens create` does at a path with no store: a new store (another store id), no release in it.
        string token;
        await using (var made = await SqliteStore.OpenAsync(_f.StorePath, TimeProvider.System, default))
        {
            token = (await new AccessTokenService(made.AccessTokens, made, TimeProvider.System).CreateAsync(_f.Manifest.App, "staging", Role.Viewer, "alice", "test", default)).Secret;
        }

        SqlitePools.ClearFile(_f.StorePath);
        await Eventually.TrueAsync(async () => (await ReadyAsync(token)).Contains("with no stable release for staging; not followed", StringComparison.Ordinal), "the gateway never said why it does not follow the new store");
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());
        using (var ready = await _f.Http.GetAsync(_f.Url + "/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("\"control_plane\":\"stale\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A release deployed there: now the new store is followed.
        string deployed;
        await using (var made = await SqliteStore.OpenAsync(_f.StorePath, TimeProvider.System, default))
        {
            var v3 = (await made.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(_f.World.LoadManifest(), "v3", TimeProvider.System, default), default)).Release;
            deployed = v3.Label;
            var state = await made.Environments.GetAsync(_f.Manifest.App, "staging", default);
            await made.Environments.ApplyAsync(new EnvironmentChange
            {
                App = _f.Manifest.App,
                Environment = "staging",
                ExpectedRevision = state.Revision,
                NewState = state with { StableReleaseId = v3.Id },
                Event = new EnvironmentEvent { App = _f.Manifest.App, Environment = "staging", Revision = 0, Kind = "deploy", Actor = "test", Time = DateTimeOffset.UtcNow },
            }, default);
        }

        SqlitePools.ClearFile(_f.StorePath);
        await Eventually.TrueAsync(async () => await ServedReleaseAsync() == deployed, "the gateway never followed the new store once it had a stable release");
        await Eventually.TrueAsync(async () => (await ReadyAsync()).Contains("\"control_plane\":\"ok\"", StringComparison.Ordinal), "readyz never recovered");
    }

    private async Task<string> ServedReleaseAsync()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Release").Single();
    }

    private async Task<string> ReadyAsync(string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _f.Url + "/readyz");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _f.Http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task CheckpointAsync(string path)
    {
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await cmd.ExecuteNonQueryAsync();
        }

        foreach (var side in new[] { path + "-wal", path + "-shm" })
        {
            File.Delete(side);
        }
    }
}
