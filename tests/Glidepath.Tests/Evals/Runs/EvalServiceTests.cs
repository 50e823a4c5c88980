using Glidepath.Errors;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Microsoft.Data.Sqlite;

namespace Glidepath.Tests.Evals.Runs;

public sealed class EvalServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task StartAsync_NewRun_StoresOneRunningEvalRunWithTheEvalConfigDefaults()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();

        var start = await evals.StartAsync("working", new EvalRunOptions(), None);

        Assert.False(start.Resumed);
        var stored = await app.Store.EvalRuns.GetAsync("shop", start.Run.Id, None);
        Assert.NotNull(stored);
        Assert.Equal(EvalRunKind.Eval, stored.Kind);
        Assert.Equal(EvalRunStatus.Running, stored.Status);
        Assert.Equal(start.Release.Id, stored.ReleaseId);
        Assert.Null(stored.BaselineReleaseId);
        Assert.Equal("evals/cases.jsonl", stored.DatasetPath);
        Assert.Equal((1, 8, 3), (stored.Trials, stored.Concurrency, stored.CaseCount));
        Assert.Equal(evals.Scorers.Version, stored.ScorerVersion);
        Assert.StartsWith("20261126-091500-", stored.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EveryTrialScored_MarksTheRunFinishedAndSummarisesEveryResult()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();
        var observer = new RecordingObserver();

        var start = await evals.StartAsync("working", new EvalRunOptions { Trials = 2, Concurrency = 3 }, None);
        var outcome = await evals.RunAsync(start, observer, None);

        Assert.Equal((3, 6, 6), (outcome.Summary.Cases, outcome.Summary.Trials, outcome.Summary.Passed));
        Assert.True(outcome.AllScored);
        // Read back from the store, the same summary, except that the store does not keep whether an answer was cached.
        var readBack = RunSummary.Of(await app.Store.EvalRuns.ResultsAsync(start.Run.Id, None), [start.Release.Id])[0];
        Assert.Equal((6, 0), (readBack.CacheUnknown, outcome.Summary.CacheUnknown));
        Assert.Equal(readBack with { CacheUnknown = 0 }, outcome.Summary);
        Assert.Empty(await outcome.NotPassedAsync(None).ToListAsync());
        Assert.Equal(3, outcome.Concurrency.Requested);
        Assert.Equal(["executing", "executed"], observer.Events);
        Assert.Equal(0, observer.AlreadyDone);
        Assert.Equal(6, observer.ProgressReports);
        var stored = (await app.Store.EvalRuns.GetAsync("shop", start.Run.Id, None))!;
        Assert.Equal(EvalRunStatus.Finished, stored.Status);
        Assert.Equal(app.Time.GetUtcNow(), stored.FinishedAt);
    }

    [Fact]
    public async Task RunAsync_Finished_StoresKindAndStatusUnderTheirExistingStrings()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();
        var start = await evals.StartAsync("working", new EvalRunOptions(), None);
        await evals.RunAsync(start, null, None);

        await using var connection = new SqliteConnection($"Data Source={app.Store.Location}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT kind, status FROM eval_runs";
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("eval", "finished"), (reader.GetString(0), reader.GetString(1)));
    }

    [Fact]
    public async Task RunAsync_ACallFails_IsAnErrorResultNeverAPass()
    {
        await using var app = await EvalTestApp.CreateAsync();
        app.BeforeAnswer = _ => throw new HttpRequestException("500 from the provider");
        using var evals = app.Evals();

        var outcome = await evals.RunAsync(await evals.StartAsync("working", new EvalRunOptions(), None), null, None);

        Assert.False(outcome.AllScored);
        Assert.Equal((3, 3), (outcome.Summary.Trials, outcome.Summary.Errors));
        var notPassed = await outcome.NotPassedAsync(None).ToListAsync();
        Assert.Equal(3, notPassed.Count);
        Assert.All(notPassed, r => Assert.Equal(TrialStatus.Error, r.Status));
    }

    [Fact]
    public async Task StartAsync_UnknownReleaseAndBrokenDataset_ReportsTheReleaseFirst()
    {
        // The release is resolved before the dataset is checked: its error comes first (a DatasetException otherwise).
        await using var app = await EvalTestApp.CreateAsync();
        app.EditDataset(text => text + "{ not json\n");
        using var evals = app.Evals();

        var ex = await Assert.ThrowsAsync<BadInputException>(() => evals.StartAsync("v99", new EvalRunOptions(), None));

        Assert.Contains("v99", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await app.Store.EvalRuns.ListAsync("shop", 10, None));
    }

    [Fact]
    public async Task StartAsync_BrokenDataset_ReportsItsLineAndStoresNoRun()
    {
        await using var app = await EvalTestApp.CreateAsync();
        app.EditDataset(text => text + "{ not json\n");
        using var evals = app.Evals();

        var ex = await Assert.ThrowsAsync<Glidepath.Evals.Datasets.DatasetException>(() => evals.StartAsync("working", new EvalRunOptions(), None));

        Assert.Contains("evals/cases.jsonl:4", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await app.Store.EvalRuns.ListAsync("shop", 10, None));
    }

    [Fact]
    public async Task StartAsync_NoCaseHasTheTag_IsBadInputAndStoresNoRun()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();

        var ex = await Assert.ThrowsAsync<BadInputException>(() => evals.StartAsync("working", new EvalRunOptions { Tags = ["billing"] }, None));

        Assert.Equal("evals/cases.jsonl: no cases to run with the given --tag", ex.Message);
        Assert.Empty(await app.Store.EvalRuns.ListAsync("shop", 10, None));
    }

    [Fact]
    public async Task RunAsync_Cancelled_MarksTheRunCancelledAndAResumeRunsOnlyWhatIsLeft()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var cts = new CancellationTokenSource();
        var answered = 0;
        app.BeforeAnswer = _ =>
        {
            if (Interlocked.Increment(ref answered) == 2)
            {
                cts.Cancel();
                cts.Token.ThrowIfCancellationRequested();
            }
        };
        using var evals = app.Evals();
        var observer = new RecordingObserver();
        var start = await evals.StartAsync("working", new EvalRunOptions { Concurrency = 1 }, None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evals.RunAsync(start, observer, cts.Token));

        Assert.Equal(["executing", "cancelled"], observer.Events);
        Assert.Equal(EvalRunStatus.Cancelled, (await app.Store.EvalRuns.GetAsync("shop", start.Run.Id, None))!.Status);
        app.BeforeAnswer = null;
        var resumed = await evals.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id, Concurrency = 2 }, None);
        var callsBefore = app.Calls;
        var again = new RecordingObserver();
        var outcome = await evals.RunAsync(resumed, again, None);

        Assert.True(resumed.Resumed);
        Assert.Equal(2, resumed.Run.Concurrency);
        Assert.Equal(1, again.AlreadyDone);
        Assert.Equal(2, app.Calls - callsBefore);
        Assert.Equal((3, 3), (outcome.Summary.Cases, outcome.Summary.Trials)); // the trial saved before the stop counts too
        Assert.Equal(EvalRunStatus.Finished, (await app.Store.EvalRuns.GetAsync("shop", start.Run.Id, None))!.Status);
    }

    // A run that stops on bad input is marked so (it stayed "running" for ever in eval list) and can be resumed.
    [Fact]
    public async Task RunAsync_DatasetChangedAfterTheStart_BadInput_RunMarkedStopped()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();
        var start = await evals.StartAsync("working", new EvalRunOptions(), None);
        app.EditDataset(d => d.Replace("Can I get a refund?", "May I get a refund?", StringComparison.Ordinal));
        var observer = new RecordingObserver();

        await Assert.ThrowsAsync<BadInputException>(() => evals.RunAsync(start, observer, None));

        var run = (await app.Store.EvalRuns.GetAsync("shop", start.Run.Id, None))!;
        Assert.Equal(EvalRunStatus.Stopped, run.Status);
        Assert.Null(run.FinishedAt);
        Assert.Equal(["executing", "stopped"], observer.Events);
    }

    // --resume continues a run as started: other options given with it were ignored, and the run's results shown as
    // if they answered them (eval run v1 --resume <a run of v5> printed v5's). --concurrency may change.
    [Fact]
    public async Task StartAsync_ResumeWithAnotherReleaseTrialsDatasetOrTag_IsBadInputNamingEach()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p + "Be brief.\n");
        using var evals = app.Evals();
        var start = await evals.StartAsync("working", new EvalRunOptions(), None);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => evals.StartAsync("v1", new EvalRunOptions { Resume = start.Run.Id, Trials = 3, Tags = ["refunds"], Dataset = "evals/other.jsonl" }, None));
        var same = await evals.StartAsync("working", new EvalRunOptions { Resume = start.Run.Id, Trials = start.Run.Trials, Concurrency = 3 }, None);

        Assert.Contains($"--resume {start.Run.Id} continues the run as it was started, and it was not started with --trials 3 (it runs 1), --dataset evals/other.jsonl (it reads evals/cases.jsonl), --tag refunds (it selects every case), release v1 (it scores ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("leave those out, or start a new run without --resume", ex.Message, StringComparison.Ordinal);
        Assert.True(same.Resumed);
        Assert.Equal(3, same.Run.Concurrency);
        Assert.NotEqual(v1.Id, start.Run.ReleaseId);
    }

    // docs/eval.md: "--no-cache calls the model every time" and "a run continues as it was started". The resume of a
    // --no-cache run served the rest from the response cache (0 calls for 488 trials) while the run said use_cache false.
    [Fact]
    public async Task RunAsync_ResumeOfANoCacheRunWithoutTheFlag_CallsTheModelThoughTheCacheHoldsEveryAnswer()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using (var cached = app.Evals(useCache: true))
        {
            await cached.RunAsync(await cached.StartAsync("working", new EvalRunOptions(), None), null, None);
        }

        using var cts = new CancellationTokenSource();
        var answered = 0;
        app.BeforeAnswer = _ =>
        {
            if (Interlocked.Increment(ref answered) == 2)
            {
                cts.Cancel();
                cts.Token.ThrowIfCancellationRequested();
            }
        };
        using var fresh = app.Evals(useCache: false);
        var start = await fresh.StartAsync("working", new EvalRunOptions { Concurrency = 1 }, None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fresh.RunAsync(start, null, cts.Token));
        app.BeforeAnswer = null;

        using var resuming = app.Evals(useCache: true); // eval run --resume RUN, without --no-cache
        var resumed = await resuming.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None);
        var callsBefore = app.Calls;
        var outcome = await resuming.RunAsync(resumed, null, None);

        Assert.False(resumed.Run.UseCache);
        Assert.Equal(2, app.Calls - callsBefore); // the two trials left were asked, not served from the cache
        Assert.Equal((3, 3), (outcome.Summary.Trials, outcome.Summary.Passed));
    }

    // The other way round the resumed run would mix cached and fresh answers under a run that records use_cache true.
    [Fact]
    public async Task StartAsync_ResumeACachedRunWithNoCache_IsBadInputNamingIt()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var cached = app.Evals(useCache: true);
        var start = await cached.StartAsync("working", new EvalRunOptions(), None);
        using var fresh = app.Evals(useCache: false);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => fresh.StartAsync(null, new EvalRunOptions { Resume = start.Run.Id }, None));

        Assert.Equal($"--resume {start.Run.Id} continues the run as it was started, and it was not started with --no-cache (it uses the response cache): leave that out, or start a new run without --resume", ex.Message);
    }

    [Fact]
    public async Task StartAsync_ResumeAfterTheDatasetChanged_IsBadInput()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();
        var start = await evals.StartAsync("working", new EvalRunOptions(), None);
        app.EditDataset(d => d.Replace("Can I get a refund?", "May I get a refund?", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<BadInputException>(() => evals.StartAsync("working", new EvalRunOptions { Resume = start.Run.Id }, None));

        Assert.Contains($"changed since run {start.Run.Id} started", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ResumeAGateRun_IsBadInputNamingTheGateCommand()
    {
        await using var app = await EvalTestApp.CreateAsync(gateBaseline: "working");
        using var evals = app.Evals();
        var gate = await new Glidepath.Evals.Gate.GateService(evals, app.Store.GateVerdicts, app.Time).StartAsync("working", null, new EvalRunOptions(), None);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => evals.StartAsync("working", new EvalRunOptions { Resume = gate.Run.Id }, None));

        Assert.Equal($"run {gate.Run.Id} is a gate run; resume it with 'glidepath gate --resume {gate.Run.Id}'", ex.Message);
    }

    [Fact]
    public async Task StartAsync_UnknownRun_IsBadInput()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();

        var ex = await Assert.ThrowsAsync<BadInputException>(() => evals.StartAsync("working", new EvalRunOptions { Resume = "nope" }, None));

        Assert.StartsWith("no eval run 'nope' for app 'shop'", ex.Message, StringComparison.Ordinal);
    }
}
