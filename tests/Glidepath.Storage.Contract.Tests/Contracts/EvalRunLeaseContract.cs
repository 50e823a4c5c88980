using Glidepath.Evals.Runs;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>
/// A run's lease (<see cref="EvalRunLease"/>): one holder at a time; renewed by its holder with its start kept; taken over
/// once lapsed or from a holder named gone; given up only by its holder (trial gatejudge3 M1: two resumes at once).
/// </summary>
public abstract class EvalRunLeaseContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    private static EvalRunLease Lease(string holder, int pid, DateTimeOffset since, TimeSpan? lasts = null) =>
        new(holder, "ci-" + holder, pid, since, since + (lasts ?? TimeSpan.FromMinutes(2)));

    private async Task<string> RunAsync(string id = "20261207-140000-1ea5")
    {
        await Store.EvalRuns.CreateAsync(EvalRunStoreContract.Run(id, 1), None);
        return id;
    }

    [Fact]
    public async Task TryLeaseAsync_Free_Taken_ASecondHolderRefusedWithTheStandingLease()
    {
        var run = await RunAsync();
        var a = Lease("a", 101, T0);

        var first = await Store.EvalRuns.TryLeaseAsync(run, a, T0, null, None);
        var second = await Store.EvalRuns.TryLeaseAsync(run, Lease("b", 202, T0.AddSeconds(30)), T0.AddSeconds(30), null, None);

        Assert.Null(first);
        Assert.Equal(a, second);
        Assert.Equal(a, await Store.EvalRuns.LeaseAsync(run, None));
    }

    [Fact]
    public async Task TryLeaseAsync_ByItsHolder_RenewsTheExpiry_KeepsSince()
    {
        var run = await RunAsync();
        await Store.EvalRuns.TryLeaseAsync(run, Lease("a", 101, T0), T0, null, None);

        var renewed = await Store.EvalRuns.TryLeaseAsync(run, Lease("a", 101, T0.AddSeconds(30)), T0.AddSeconds(30), null, None);

        Assert.Null(renewed);
        Assert.Equal(Lease("a", 101, T0) with { ExpiresAt = T0.AddSeconds(150) }, await Store.EvalRuns.LeaseAsync(run, None));
    }

    [Fact]
    public async Task TryLeaseAsync_Lapsed_TakenOver_NotBeforeItLapses()
    {
        var run = await RunAsync();
        await Store.EvalRuns.TryLeaseAsync(run, Lease("a", 101, T0), T0, null, None);
        var lapses = T0.AddMinutes(2);

        var early = await Store.EvalRuns.TryLeaseAsync(run, Lease("b", 202, lapses.AddTicks(-10)), lapses.AddTicks(-10), null, None);
        var late = await Store.EvalRuns.TryLeaseAsync(run, Lease("b", 202, lapses), lapses, null, None);

        Assert.Equal("a", early!.Holder);
        Assert.Null(late);
        Assert.Equal(Lease("b", 202, lapses), await Store.EvalRuns.LeaseAsync(run, None));
    }

    [Fact]
    public async Task TryLeaseAsync_FromAHolderNamedGone_TakenOverAtOnce_AnotherHolderNamedGone_Refused()
    {
        var run = await RunAsync();
        await Store.EvalRuns.TryLeaseAsync(run, Lease("a", 101, T0), T0, null, None);

        var wrongName = await Store.EvalRuns.TryLeaseAsync(run, Lease("b", 202, T0), T0, "c", None);
        var taken = await Store.EvalRuns.TryLeaseAsync(run, Lease("b", 202, T0), T0, "a", None);

        Assert.Equal("a", wrongName!.Holder);
        Assert.Null(taken);
        Assert.Equal("b", (await Store.EvalRuns.LeaseAsync(run, None))!.Holder);
    }

    [Fact]
    public async Task ReleaseLeaseAsync_ByAnotherHolder_KeepsIt_ByItsHolder_FreesIt()
    {
        var run = await RunAsync();
        await Store.EvalRuns.TryLeaseAsync(run, Lease("a", 101, T0), T0, null, None);

        await Store.EvalRuns.ReleaseLeaseAsync(run, "b", None);
        var kept = await Store.EvalRuns.LeaseAsync(run, None);
        await Store.EvalRuns.ReleaseLeaseAsync(run, "a", None);

        Assert.Equal("a", kept!.Holder);
        Assert.Null(await Store.EvalRuns.LeaseAsync(run, None));
        Assert.Null(await Store.EvalRuns.TryLeaseAsync(run, Lease("b", 202, T0), T0, null, None));
    }

    [Fact]
    public async Task TryLeaseAsync_LeasesOfTwoRuns_AreApart()
    {
        var (one, two) = (await RunAsync("r1"), await RunAsync("r2"));

        Assert.Null(await Store.EvalRuns.TryLeaseAsync(one, Lease("a", 101, T0), T0, null, None));
        Assert.Null(await Store.EvalRuns.TryLeaseAsync(two, Lease("b", 202, T0), T0, null, None));

        Assert.Equal(("a", "b"), ((await Store.EvalRuns.LeaseAsync(one, None))!.Holder, (await Store.EvalRuns.LeaseAsync(two, None))!.Holder));
    }

    [Fact]
    public async Task TryLeaseAsync_UnknownRun_RefusedAndNothingWritten()
    {
        await StoreAssert.RefusedAsync(() => Store.EvalRuns.TryLeaseAsync("nope", Lease("a", 101, T0), T0, null, None));

        Assert.Null(await Store.EvalRuns.LeaseAsync("nope", None));
    }

    // Two resumes started at once: exactly one gets the run.
    [Fact]
    public async Task TryLeaseAsync_ManyHoldersAtOnce_ExactlyOneHoldsIt()
    {
        var run = await RunAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => Store.EvalRuns.TryLeaseAsync(run, Lease("h" + i, 100 + i, T0), T0, null, None))));

        Assert.Single(outcomes, o => o is null);
        var holder = (await Store.EvalRuns.LeaseAsync(run, None))!.Holder;
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(holder, o!.Holder));
    }
}
