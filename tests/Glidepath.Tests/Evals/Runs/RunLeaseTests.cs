using Glidepath.Errors;
using Glidepath.Evals.Runs;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>
/// One process at a time runs a run (trial gatejudge3 M1: two --resume of one run at once each spent the judge's whole
/// headroom): a resume while another live process holds the run is refused (exit 2), a lease a crashed process left lapses
/// or is taken over once its process is gone, the holder renews it while the run goes, and gives it up when the run ends.
/// The clock is the test's: nothing here waits for time to pass.
/// </summary>
public sealed class RunLeaseTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static RunHolder Holder(string id, int pid, Func<EvalRunLease, bool>? gone = null) =>
        new() { Id = id, Host = "ci-" + id, Pid = pid, IsGone = gone ?? (_ => false) };

    [Fact]
    public async Task StartAsync_ResumeWhileAnotherLiveProcessHoldsTheRun_IsBadInputNamingPidHostAndSince_NothingCalled()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var first = app.Evals(Holder("a", 4242));
        var start = await first.StartAsync("working", new EvalRunOptions(), None);
        using var second = app.Evals(Holder("b", 5151));

        var ex = await Assert.ThrowsAsync<BadInputException>(() => second.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None));

        Assert.StartsWith($"run {start.Run.Id} is being run by pid 4242 on host ci-a since 2026-11-26 09:15:00 UTC; one process at a time runs a run", ex.Message, StringComparison.Ordinal);
        Assert.Contains("if that process is gone, run this --resume again after its lease lapses at 09:17:00 UTC", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, app.Calls);
        Assert.Equal("a", (await app.Store.EvalRuns.LeaseAsync(start.Run.Id, None))!.Holder);
    }

    [Fact]
    public async Task StartAsync_ResumeAfterACrashedHoldersLeaseLapsed_TakesTheRunOverAndRunsIt()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var crashed = app.Evals(Holder("a", 4242));
        var start = await crashed.StartAsync("working", new EvalRunOptions(), None);
        crashed.Dispose(); // its lease is no longer renewed, as when its process dies
        using var second = app.Evals(Holder("b", 5151));
        var early = await Assert.ThrowsAsync<BadInputException>(() => second.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None));

        app.Time.Advance(RunHolder.DefaultDuration);
        var resumed = await second.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None);
        var outcome = await second.RunAsync(resumed, null, None);

        Assert.Contains("pid 4242", early.Message, StringComparison.Ordinal);
        Assert.Equal(3, outcome.Summary.Trials);
        Assert.Null(await app.Store.EvalRuns.LeaseAsync(start.Run.Id, None)); // given up as the run ended
    }

    [Fact]
    public async Task StartAsync_ResumeWhenTheHoldersProcessIsGone_TakesTheRunOverAtOnce()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var crashed = app.Evals(Holder("a", 4242));
        var start = await crashed.StartAsync("working", new EvalRunOptions(), None);
        crashed.Dispose();
        using var second = app.Evals(Holder("b", 5151, gone: lease => lease.Pid == 4242));

        var resumed = await second.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None);

        Assert.True(resumed.Resumed);
        var lease = await app.Store.EvalRuns.LeaseAsync(start.Run.Id, None);
        Assert.Equal(("b", 5151, app.Time.GetUtcNow()), (lease!.Holder, lease.Pid, lease.Since));
    }

    [Fact]
    public async Task RunAsync_RunEnded_LeaseGivenUp_ARefusedResume_LeavesTheHoldersLease()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var first = app.Evals(Holder("a", 4242));
        var start = await first.StartAsync("working", new EvalRunOptions(), None);
        var held = await app.Store.EvalRuns.LeaseAsync(start.Run.Id, None);
        await first.RunAsync(start, null, None);
        using var second = app.Evals(Holder("b", 5151));
        app.EditDataset(d => d.Replace("Can I get a refund?", "May I get a refund?", StringComparison.Ordinal));

        await Assert.ThrowsAsync<BadInputException>(() => second.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None));

        Assert.Equal("a", held!.Holder);
        Assert.Null(await app.Store.EvalRuns.LeaseAsync(start.Run.Id, None)); // neither the run's end nor the refused resume left one
    }

    [Fact]
    public async Task AcquireAsync_LeaseIsRenewedEveryQuarterOfItsDuration_SoItDoesNotLapseWhileTheRunGoes()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var run = await NewRunAsync(app);
        using var lease = await RunLease.AcquireAsync(app.Store.EvalRuns, run, Holder("a", 4242), app.Time, None);
        var taken = app.Time.GetUtcNow();

        app.Time.Advance(RunHolder.DefaultDuration / 4);
        await Until(() => lease.Renewals == 1);
        app.Time.Advance(RunHolder.DefaultDuration * 3 / 4); // the first lease would lapse now
        await Until(() => lease.Renewals == 2);
        var other = await app.Store.EvalRuns.TryLeaseAsync(run, new EvalRunLease("b", "ci-b", 5151, app.Time.GetUtcNow(), app.Time.GetUtcNow().AddMinutes(2)), app.Time.GetUtcNow(), null, None);

        Assert.Equal("a", other!.Holder);
        Assert.Equal((taken, taken + RunHolder.DefaultDuration * 2), (other.Since, other.ExpiresAt));
    }

    // A process stopped longer than its lease lasts (suspended, the store out of reach) finds at its next renewal that
    // another took the run over: it must stop, since the other spends on the run now.
    [Fact]
    public async Task AcquireAsync_RenewalFindsTheRunTakenOver_LostWithAnErrorNamingTheOtherProcess()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var run = await NewRunAsync(app);
        using var lease = await RunLease.AcquireAsync(app.Store.EvalRuns, run, Holder("a", 4242), app.Time, None);
        await app.Store.EvalRuns.TryLeaseAsync(run, new EvalRunLease("b", "ci-b", 5151, app.Time.GetUtcNow(), app.Time.GetUtcNow().AddMinutes(2)), app.Time.GetUtcNow(), "a", None);

        app.Time.Advance(RunHolder.DefaultDuration / 4);
        await Until(() => lease.Lost.IsCancellationRequested);
        await lease.ReleaseAsync();

        Assert.StartsWith($"run {run} was taken over by pid 5151 on host ci-b while this process ran", lease.TakenOver()!.Message, StringComparison.Ordinal);
        Assert.Equal("b", (await app.Store.EvalRuns.LeaseAsync(run, None))!.Holder); // not given up: it is the other's
    }

    private static async Task<string> NewRunAsync(EvalTestApp app)
    {
        var evals = app.Evals(Holder("setup", 1));
        var start = await evals.StartAsync("working", new EvalRunOptions(), None);
        evals.Dispose();
        await app.Store.EvalRuns.ReleaseLeaseAsync(start.Run.Id, "setup", None);
        return start.Run.Id;
    }

    // Waits for a condition the code under test reaches on another thread; the bound only keeps a broken test from hanging.
    private static async Task Until(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }
}
