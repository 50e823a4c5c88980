using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Storage;

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

    // The gate gave its lease up as its run finished, before it stored its verdict: a resume of the run in that gap ran and
    // stored a verdict of its own (or changed the results the first was being decided from). Held until the verdict is stored.
    [Fact]
    public async Task GateRunAsync_ResumeWhileTheVerdictIsBeingStored_IsRefused_OneVerdict_LeaseGivenUpAfter()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        await using var first = app.Evals(Holder("a", 4242));
        await using var second = app.Evals(Holder("b", 5151));
        string? runId = null;
        Exception? resume = null;
        var verdicts = new VerdictsSavedAfter(app.Store.GateVerdicts, async () => resume = await Record.ExceptionAsync(async () =>
        {
            // Another process's gate --resume of the run, at the moment the first stores its verdict.
            var other = new GateService(second, app.Store.GateVerdicts, app.Time);
            await other.RunAsync(await other.StartAsync(null, null, new EvalRunOptions { Resume = runId }, None), null, None);
        }));
        var gates = new GateService(first, verdicts, app.Time);
        var start = await gates.StartAsync("working", v1.Name, new EvalRunOptions(), None);
        runId = start.Run.Id;

        var outcome = await gates.RunAsync(start, null, None);

        var refused = Assert.IsType<BadInputException>(resume);
        Assert.StartsWith($"run {runId} is being run by pid 4242 on host ci-a", refused.Message, StringComparison.Ordinal);
        Assert.Equal(outcome.Verdict, Assert.Single(await app.Store.GateVerdicts.ListAsync("shop", start.Candidate.Id, None)));
        Assert.Null(await app.Store.EvalRuns.LeaseAsync(runId, None)); // given up once the verdict was stored
    }

    [Fact]
    public async Task GateRunAsync_VerdictCannotBeStored_LeaseGivenUpAllTheSame()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        await using var evals = app.Evals(Holder("a", 4242));
        var gates = new GateService(evals, new VerdictsSavedAfter(app.Store.GateVerdicts, () => throw new OperationalException("store out of reach")), app.Time);
        var start = await gates.StartAsync("working", v1.Name, new EvalRunOptions(), None);

        await Assert.ThrowsAsync<OperationalException>(() => gates.RunAsync(start, null, None));

        Assert.Null(await app.Store.EvalRuns.LeaseAsync(start.Run.Id, None));
    }

    // A run created and never run (the process failed or was stopped between the two) left its lease to lapse: a resume
    // from another host waited up to 2 minutes, or was refused. The service's disposal gives it up.
    [Fact]
    public async Task DisposeAsync_RunCreatedButNeverRun_GivesTheLeaseUp_SoAResumeElsewhereRunsAtOnce()
    {
        await using var app = await EvalTestApp.CreateAsync();
        string id;
        await using (var failed = app.Evals(Holder("a", 4242)))
        {
            id = (await failed.StartAsync("working", new EvalRunOptions(), None)).Run.Id;
        }

        await using var second = app.Evals(Holder("b", 5151)); // its holder judges no other process gone
        var outcome = await second.RunAsync(await second.StartAsync(null, new EvalRunOptions { Resume = id }, None), null, None);

        Assert.Equal(3, outcome.Summary.Trials);
        Assert.Null(await app.Store.EvalRuns.LeaseAsync(id, None));
    }

    // What a gate would store once its process lost the run to another (it was stopped longer than its lease lasts) is not
    // its to store: the check before the verdict is saved throws the take-over error (exit 3).
    [Fact]
    public async Task ThrowIfTakenOver_AnotherProcessTookTheRunOver_ThrowsTheTakeOverError()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await using var evals = app.Evals(Holder("a", 4242));
        var start = await evals.StartAsync("working", new EvalRunOptions(), None);
        evals.ThrowIfTakenOver(); // held: nothing thrown
        await app.Store.EvalRuns.TryLeaseAsync(start.Run.Id, new EvalRunLease("b", "ci-b", 5151, app.Time.GetUtcNow(), app.Time.GetUtcNow().AddMinutes(2)), app.Time.GetUtcNow(), "a", None);

        app.Time.Advance(RunHolder.DefaultDuration / 4);
        await Until(() => Record.Exception(evals.ThrowIfTakenOver) is not null);

        var ex = Assert.IsType<OperationalException>(Record.Exception(evals.ThrowIfTakenOver));
        Assert.StartsWith($"run {start.Run.Id} was taken over by pid 5151 on host ci-b", ex.Message, StringComparison.Ordinal);
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

    /// <summary>The store's verdicts, with <paramref name="beforeSave"/> run as a verdict is about to be stored.</summary>
    private sealed class VerdictsSavedAfter(IGateVerdictStore inner, Func<Task> beforeSave) : IGateVerdictStore
    {
        public async Task SaveAsync(GateVerdictRecord verdict, CancellationToken cancellationToken)
        {
            await beforeSave();
            await inner.SaveAsync(verdict, cancellationToken);
        }

        public Task<GateVerdictRecord?> LatestAsync(string app, string candidateReleaseId, string baselineReleaseId, CancellationToken cancellationToken) =>
            inner.LatestAsync(app, candidateReleaseId, baselineReleaseId, cancellationToken);

        public Task<IReadOnlyList<GateVerdictRecord>> ListAsync(string app, string candidateReleaseId, CancellationToken cancellationToken) =>
            inner.ListAsync(app, candidateReleaseId, cancellationToken);
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
