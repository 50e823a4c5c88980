using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tests.Support;
using Glidepath.Shadow;
using Glidepath.Storage;
using Glidepath.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>
/// A trial: during a store outage answered candidate calls were paid for, but their pairs were thrown away (and their
/// spend taken back from the cap). A batch the store refuses is kept and written again once it takes it.
/// </summary>
public sealed class ShadowPairRetryTests
{
    [Fact]
    public async Task StoreUnreachableForTheFirstBatches_PairsKeptAndWrittenOnceItIsBack_NoneCountedFailed()
    {
        var flaky = (RefusingShadowStore?)null;
        await using var f = await ServingFixture.StartAsync(configure: o => o with { Shadows = flaky = new RefusingShadowStore(o.Shadows!, o.Identity!), Identity = flaky });
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-retry");
        flaky!.Outage(refusals: 2, unreachable: true);

        await ShadowSetup.CallAsync(f, 3);

        // The writer counts a batch after its commit: wait for the counters, then read the store.
        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Mirrored == 3 && mirror.PendingPairs == 0), "the three pairs to be stored after the outage");
        Assert.Equal(3, (await f.Store.Shadows.SpendAsync("sh-retry", default)).Pairs);
        Assert.Equal(2, flaky.Refused);
        Assert.Equal(0L, mirror.Failed);
    }

    // An outside verification: another process held SQLite's write lock, the store still answered the reachability probe,
    // and each batch counted as refused. A busy store is an outage: the pairs are kept and written once it passes.
    [Fact]
    public async Task StoreReachableButBusyForTheFirstBatches_PairsKeptAndWrittenOnceItPasses_NoneCountedFailed()
    {
        var flaky = (RefusingShadowStore?)null;
        await using var f = await ServingFixture.StartAsync(configure: o => o with { Shadows = flaky = new RefusingShadowStore(o.Shadows!, o.Identity!), Identity = flaky, Failures = flaky });
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-busy");
        flaky!.Outage(refusals: 2, unreachable: false, busy: true);

        await ShadowSetup.CallAsync(f, 3);

        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Mirrored == 3 && mirror.PendingPairs == 0), "the three pairs to be stored once the store is not busy");
        Assert.Equal(3, (await f.Store.Shadows.SpendAsync("sh-busy", default)).Pairs);
        Assert.Equal(2, flaky.Refused);
        Assert.Equal(0L, mirror.Failed);
    }

    // A review: a batch the store refuses while it is reachable (a constraint, a read-only store) would be refused for
    // ever; retried, it stopped the shadow behind it for good. It is dropped and counted, and the next pairs are stored.
    [Fact]
    public async Task StoreReachableButRefusesABatch_DroppedAndCountedFailed_LaterPairsStored()
    {
        var flaky = (RefusingShadowStore?)null;
        await using var f = await ServingFixture.StartAsync(configure: o => o with { Shadows = flaky = new RefusingShadowStore(o.Shadows!, o.Identity!), Identity = flaky });
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-refused");
        flaky!.Outage(refusals: 1, unreachable: false);

        await ShadowSetup.CallAsync(f, 1);
        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Failed == 1 && mirror.PendingPairs == 0), "the refused pair to be counted failed");
        await ShadowSetup.CallAsync(f, 1);
        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Mirrored == 1 && mirror.PendingPairs == 0), "the next pair to be stored");

        Assert.Equal(1, (await f.Store.Shadows.SpendAsync("sh-refused", default)).Pairs);
        Assert.Equal(1, flaky.Refused);
    }

    // An app with the SDK was told its pairs "could not be stored before the gateway stopped": the line names the host.
    [Fact]
    public async Task StoreUnreachableAtStop_PairsCountedFailed_LoggedNamingTheHost()
    {
        var flaky = (RefusingShadowStore?)null;
        var app = new ServingHost("app", "set FollowPushes = false", "upgrade the app");
        await using var f = await ServingFixture.StartAsync(configure: o => o with { Shadows = flaky = new RefusingShadowStore(o.Shadows!, o.Identity!), Identity = flaky, Host = app }, keepLogs: true);
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-stop");
        flaky!.Outage(refusals: int.MaxValue, unreachable: true);

        await ShadowSetup.CallAsync(f, 1);
        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.PendingPairs == 1 && flaky.Refused > 0), "the pair to be kept after a refused write");
        await f.StopServicesAsync(); // the writer tries for 5 s more, then gives up

        var log = (CapturedLog<ShadowMirror>)f.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ShadowMirror>>();
        Assert.Contains(log.Lines, l => l.Text == "shadow pairs: 1 could not be stored before the app stopped and are not counted");
        Assert.Equal(1L, mirror.Failed);
    }

    // A gateway that cannot read the shadow's spend from the store mirrors nothing blind; its sampled requests were counted
    // as failed (pairs lost), where no candidate was called and no pair made. They are dropped, reason store_unreachable.
    [Fact]
    public async Task SpendUnreadable_NothingMirrored_CountedDroppedStoreUnreachable_NotFailed()
    {
        var blind = (UnreadableSpendStore?)null;
        await using var f = await ServingFixture.StartAsync(configure: o => o with { Shadows = blind = new UnreadableSpendStore(o.Shadows!) });
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-blind", maxCostUsd: 1);

        await ShadowSetup.CallAsync(f, 2);

        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Counters.DroppedFor(ShadowCounters.StoreUnreachable) == 2), "both sampled requests to be counted as dropped, store_unreachable");
        Assert.Equal((0L, 0L, 0L, 2L), (mirror.Mirrored, mirror.Failed, mirror.Capped, mirror.Dropped));
        Assert.Equal(0, (await f.Store.Shadows.SpendAsync("sh-blind", default)).Pairs);
    }

    private sealed class UnreadableSpendStore(IShadowStore inner) : Glidepath.Testing.ForwardingShadowStore(inner)
    {
        public override Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken) =>
            Task.FromException<ShadowSpend>(new IOException("the store is unreachable"));
    }

    /// <summary>
    /// Refuses the next writes (an outage, a busy store, or a store that refuses while reachable); reads pass, and the
    /// identity fails while the outage is one of reach. A busy refusal is the one failure it calls transient.
    /// </summary>
    private sealed class RefusingShadowStore(IShadowStore inner, IStoreIdentitySource identity) : Glidepath.Testing.ForwardingShadowStore(inner), IStoreIdentitySource, IStoreFailures
    {
        private int _left;
        private int _refused;
        private volatile bool _unreachable;
        private volatile bool _busy;

        public int Refused => Volatile.Read(ref _refused);

        public string Location => "test-store";

        public void Outage(int refusals, bool unreachable, bool busy = false) => (_left, _unreachable, _busy) = (refusals, unreachable, busy);

        public bool IsTransient(Exception error) => error is TimeoutException;

        public override Task WriteAsync(IReadOnlyList<ShadowPairRecord> pairs, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _left) >= 0)
            {
                Interlocked.Increment(ref _refused);
                throw _busy ? new TimeoutException("the store is busy (test)") : new Glidepath.Errors.OperationalException("the store refused the write (test)");
            }

            _unreachable = false;
            return base.WriteAsync(pairs, cancellationToken);
        }

        public Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken) =>
            _unreachable && Volatile.Read(ref _left) >= 0 ? throw new Glidepath.Errors.OperationalException("the store cannot be reached (test)") : identity.ReadIdentityAsync(cancellationToken);
    }
}
