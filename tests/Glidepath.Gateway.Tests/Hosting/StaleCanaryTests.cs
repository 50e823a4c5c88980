using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// A trial: a gateway cut off from the store kept serving a canary the owners had rolled back, to its share of
/// subjects, for as long as the partition lasted. Past the stale limit it serves stable only, and the canary comes back
/// when the store can be read again (the table is reloaded, as it stands then).
/// </summary>
public sealed class StaleCanaryTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        _f.ShowRoutingHeaders();
        await _f.StartAsync(s => s with { StaleCanaryLimit = TimeSpan.FromMilliseconds(300) });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task StoreUnreadablePastTheLimit_CanaryWithheld_ServedAgainOnceTheStoreIsBack()
    {
        var state = await _f.SetAsync(s => s with { Canary = new CanaryState(_f.V2.Id, 100, "seed-1") }, "canary_set");
        await _f.WaitForRevisionAsync(state.Revision);
        Assert.Equal(_f.V2.Label, await ServedReleaseAsync());

        // Moved away and back, as an unreachable mount would be (the same file comes back with its own -wal).
        var away = _f.StorePath + ".away";
        File.Move(_f.StorePath, away);
        await Eventually.TrueAsync(async () => await ServedReleaseAsync() == _f.V1.Label, "the canary was still served past the stale limit");
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());

        File.Move(away, _f.StorePath);
        await Eventually.TrueAsync(async () => await ServedReleaseAsync() == _f.V2.Label, "the canary never came back once the store could be read");
    }

    // A review: a read that hangs (a dead mount, dropped packets) never fails, so the limit was never applied. It is
    // watched on its own timer: a read in progress for the limit counts as unreadable.
    [Fact]
    public async Task StoreReadHangsPastTheLimit_CanaryWithheld_ServedAgainWhenTheReadReturns()
    {
        await using var f = await GatewayFixture.CreateAsync();
        f.ShowRoutingHeaders();
        var hanging = new HangingIdentity(f.Store);
        await f.StartAsync(s => s with { StaleCanaryLimit = TimeSpan.FromMilliseconds(300), Identity = hanging });
        var state = await f.SetAsync(s => s with { Canary = new CanaryState(f.V2.Id, 100, "seed-1") }, "canary_set");
        await f.WaitForRevisionAsync(state.Revision);
        Assert.Equal(f.V2.Label, await ServedReleaseAsync(f));

        hanging.Hang();
        await Eventually.TrueAsync(async () => await ServedReleaseAsync(f) == f.V1.Label, "the canary was still served while the store read hung past the limit");

        hanging.Release();
        await Eventually.TrueAsync(async () => await ServedReleaseAsync(f) == f.V2.Label, "the canary never came back once the read returned");
    }

    // An outside trial (PostgreSQL behind a frozen relay): a read that hung kept /readyz at "control_plane": "ok" for
    // 20-60 s while a rollback could not reach the gateway. A read unanswered for HungReadAfter is stale while it hangs.
    [Fact]
    public async Task StoreReadHangs_ReadyzSaysStaleWhileItHangs_AndOkOnceItReturns()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var hanging = new HangingIdentity(f.Store);
        await f.StartAsync(s => s with { StaleCanaryLimit = null, HungReadAfter = TimeSpan.FromMilliseconds(200), Identity = hanging });
        Assert.Equal(HttpStatusCode.OK, (await ControlPlaneAsync(f)).Status);

        hanging.Hang();
        await Eventually.TrueAsync(async () => (await ControlPlaneAsync(f)).Status == HttpStatusCode.ServiceUnavailable, "/readyz?scope=control-plane stayed 200 while the store read hung");
        var (_, body) = await ControlPlaneAsync(f);
        Assert.Contains("\"control_plane\":\"stale\"", body, StringComparison.Ordinal);
        Assert.Contains("\"stale_reason\":\"cannot read the store for ", body, StringComparison.Ordinal);

        hanging.Release();
        await Eventually.TrueAsync(async () => (await ControlPlaneAsync(f)).Status == HttpStatusCode.OK, "/readyz?scope=control-plane stayed 503 once the read returned");
    }

    [Fact]
    public void ControlPlaneStatus_ReadInProgress_StaleOnlyOnceItHasHungForTheLimit_FromItsStart()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var status = new Glidepath.Serving.Routing.ControlPlaneStatus(time, TimeSpan.FromSeconds(5));
        status.Ok();
        var started = time.GetUtcNow().AddSeconds(1);
        time.Advance(TimeSpan.FromSeconds(1));
        status.ReadStarted();

        time.Advance(TimeSpan.FromSeconds(4.9));
        var early = status.Current;
        time.Advance(TimeSpan.FromSeconds(0.2));
        var hung = status.Current;
        var lastRead = status.LastRead;
        status.Failed("timeout");
        var failed = status.Current;
        status.ReadEnded();
        status.Ok();

        Assert.False(early.Stale);
        Assert.True(hung.Stale);
        Assert.False(lastRead.Stale); // what the refresher's once-per-outage log and the canary limit read
        Assert.Equal(started, hung.StaleSince);
        Assert.Equal("a read of the store started at 09:00:01 UTC has not answered for 5 s", hung.Reason);
        Assert.Equal((true, started, "timeout"), (failed.Stale, failed.StaleSince, failed.Reason));
        Assert.False(status.Current.Stale);
    }

    private static async Task<(HttpStatusCode Status, string Body)> ControlPlaneAsync(GatewayFixture f)
    {
        using var response = await f.Http.GetAsync(f.Url + "/readyz?scope=control-plane");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void StaleCanaryLimit_ZeroOrLess_RefusedAsAServingOption()
    {
        var options = _f.ServingOptions() with { StaleCanaryLimit = TimeSpan.Zero };

        var ex = Assert.Throws<Glidepath.Errors.BadInputException>(options.Validate);

        Assert.Contains(nameof(Glidepath.Serving.ServingOptions.StaleCanaryLimit), ex.Message, StringComparison.Ordinal);
    }

    private Task<string> ServedReleaseAsync() => ServedReleaseAsync(_f);

    private static async Task<string> ServedReleaseAsync(GatewayFixture f)
    {
        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", "alice"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Release").Single();
    }

    /// <summary>The store's identity, read as usual until <see cref="Hang"/>: then every read waits until <see cref="Release"/>.</summary>
    private sealed class HangingIdentity(Glidepath.Storage.IStoreIdentitySource inner) : Glidepath.Storage.IStoreIdentitySource
    {
        private volatile TaskCompletionSource? _gate;

        public void Hang() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

        public async Task<Glidepath.Storage.StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
        {
            if (_gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            return await inner.ReadIdentityAsync(cancellationToken);
        }
    }
}
