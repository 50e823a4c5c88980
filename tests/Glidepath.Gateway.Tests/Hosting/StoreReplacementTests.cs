using System.Net;
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
        await _f.StartAsync();
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

    private async Task<string> ServedReleaseAsync()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Release").Single();
    }

    private async Task<string> ReadyAsync()
    {
        using var response = await _f.Http.GetAsync(_f.Url + "/readyz");
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
