using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Tests.Evals.Runs;

namespace Glidepath.Tests.Evals.Gate;

public sealed class GateServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RunAsync_CandidateLosesAPolicyLine_BlocksNamingTheCaseAndStoresTheBlockedVerdict()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p.Replace("Refunds are accepted within 30 days.\n", "", StringComparison.Ordinal));
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var start = await gates.StartAsync("working", v1.Name, new EvalRunOptions(), None);
        var outcome = await gates.RunAsync(start, null, None);

        Assert.Equal(GateResult.Blocked, outcome.Result);
        Assert.Equal(["refund"], outcome.Report.Decision.Regressions.Select(c => c.CaseId));
        Assert.Equal([3, 3], outcome.Summaries.Select(s => s.Trials));
        var stored = Assert.Single(await app.Store.GateVerdicts.ListAsync("shop", start.Candidate.Id, None));
        Assert.Equal(outcome.Verdict, stored);
        Assert.Equal("blocked", stored.Result);
        Assert.False(stored.Passed);
        Assert.Equal((v1.Id, evals.Scorers.Version), (stored.BaselineReleaseId, stored.JudgeVersion));
        Assert.Matches("^gv-[0-9a-f]{16}$", stored.Id);
        using var details = JsonDocument.Parse(stored.DetailsJson);
        Assert.Equal(start.Run.Id, details.RootElement.GetProperty("run").GetString());
        Assert.Equal("refund", Assert.Single(details.RootElement.GetProperty("regressed").EnumerateArray()).GetString());
    }

    // The rule promote and the checklist apply (CountingVerdict) compares a stored verdict with GateBasis.CurrentAsync: both
    // must hash the dataset and the scorers exactly as the gate did when it stored the verdict (a BOM and CRLF included).
    [Fact]
    public async Task RunAsync_StoredVerdict_HoldsForTheCurrentBasisUntilTheDatasetOrAScorerFileChanges()
    {
        await using var app = await EvalTestApp.CreateAsync();
        app.WriteFile("schemas/answer.json", """{"type": "string"}""");
        app.WriteFile("glidepath.yaml", File.ReadAllText(Path.Combine(app.Manifest.BaseDirectory, "glidepath.yaml"))
            .Replace("- { type: contains }", "- { type: contains }\n    - { type: json_schema, schema: schemas/answer.json, weight: 0.5 }", StringComparison.Ordinal));
        app.EditDataset(d => "\uFEFF" + d.Replace("\n", "\r\n", StringComparison.Ordinal));
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var outcome = await gates.RunAsync(await gates.StartAsync("working", v1.Name, new EvalRunOptions(), None), null, None);

        var stored = outcome.Verdict!;
        Assert.True((await GateBasis.CurrentAsync(app.Manifest, None)).Holds(stored));
        app.WriteFile("schemas/answer.json", """{"type": "string", "minLength": 1}""");
        var otherScorers = await GateBasis.CurrentAsync(app.Manifest, None);
        Assert.Equal((stored.DatasetSha256, false), (otherScorers.DatasetSha256, otherScorers.Holds(stored)));
        app.EditDataset(d => d + "\r\n");
        Assert.NotEqual(stored.DatasetSha256, (await GateBasis.CurrentAsync(app.Manifest, None)).DatasetSha256);
    }

    // Trial ci D1: the verdict records the rule it was decided under, and stops holding once the manifest's rule is another.
    [Fact]
    public async Task RunAsync_StoredVerdict_RecordsTheRuleAndHoldsOnlyWhileThatRuleIsInForce()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        var manifest = File.ReadAllText(Path.Combine(app.Manifest.BaseDirectory, "glidepath.yaml"));
        app.WriteFile("glidepath.yaml", manifest.Replace("baseline: env:production", "baseline: env:production\n    max_case_regressions: 100", StringComparison.Ordinal));
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var stored = (await gates.RunAsync(await gates.StartAsync("working", v1.Name, new EvalRunOptions(), None), null, None)).Verdict!;

        var loosened = await GateBasis.CurrentAsync(app.Manifest, None);
        Assert.Equal((loosened.Rule.Json, loosened.Rule.Sha256), (stored.GateRule, stored.GateRuleSha256));
        Assert.Equal(100, VerdictRule.Parse(stored.GateRule)!.MaxCaseRegressions);
        Assert.True(loosened.Holds(stored));
        app.WriteFile("glidepath.yaml", manifest);
        var restored = await GateBasis.CurrentAsync(app.Manifest, None);
        Assert.True(restored.HoldsInputs(stored));
        Assert.False(restored.Holds(stored));
        Assert.False(restored.Holds(stored with { GateRule = null, GateRuleSha256 = null }));
    }

    [Fact]
    public async Task StartAsync_NewRun_StoresAGateRunWithTheBaselineFirstInWorkOrder()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        using var evals = app.Evals();

        var start = await new GateService(evals, app.Store.GateVerdicts, app.Time).StartAsync("working", "v1", new EvalRunOptions { Trials = 3 }, None);

        var stored = (await app.Store.EvalRuns.GetAsync("shop", start.Run.Id, None))!;
        Assert.Equal((EvalRunKind.Gate, EvalRunStatus.Running), (stored.Kind, stored.Status));
        Assert.Equal([v1.Id, start.Candidate.Id], stored.ReleaseIds);
        Assert.Equal(3, stored.Trials);
        Assert.False(start.SameContent);
    }

    [Fact]
    public async Task RunAsync_CandidateIsTheBaseline_RunsOnceAndPasses()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var start = await gates.StartAsync("working", "v1", new EvalRunOptions(), None);
        var outcome = await gates.RunAsync(start, null, None);

        Assert.True(start.SameContent);
        Assert.Equal(GateResult.Pass, outcome.Result);
        Assert.Equal(3, app.Calls);
        Assert.Equal("pass", outcome.Verdict!.Result);
        Assert.True(outcome.Verdict.Passed);
        Assert.Equal(v1.Id, outcome.Verdict.CandidateReleaseId);
    }

    [Fact]
    public async Task RunAsync_ACallFails_IsAnErrorVerdictNeverAPass()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.EditPrompt(p => p + "BROKEN\n");
        app.BeforeAnswer = system =>
        {
            if (system.Contains("BROKEN", StringComparison.Ordinal))
            {
                throw new HttpRequestException("500 from the provider");
            }
        };
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var outcome = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions(), None), null, None);

        Assert.Equal(GateResult.Error, outcome.Result);
        Assert.Equal(3, outcome.Report.Decision.Errors.Count);
        Assert.Equal("error", outcome.Verdict!.Result);
    }

    // A mistyped tag is bad input, as for eval run: no run, no verdict (an error verdict once stored here took back
    // the release's earlier pass and blocked its promotion), no model call.
    [Fact]
    public async Task StartAsync_NoCaseHasTheTag_BadInput_NothingRunOrStored()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        var passed = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions(), None), null, None);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => gates.StartAsync("working", "v1", new EvalRunOptions { Tags = ["billing"] }, None));

        Assert.Equal("evals/cases.jsonl: no case has the tag billing; nothing was run and no verdict was stored", ex.Message);
        Assert.Equal(GateResult.Pass, passed.Result);
        Assert.Equal(passed.Verdict!.Id, (await app.Store.GateVerdicts.LatestAsync(passed.Verdict.App, passed.Verdict.CandidateReleaseId, passed.Verdict.BaselineReleaseId, None))!.Id);
        Assert.Single(await app.Store.EvalRuns.ListAsync(passed.Verdict.App, 10, None));
    }

    [Fact]
    public async Task RunAsync_PartialBlock_IsStoredMarkedPartialAndStopsPromotion_APartialPassIsNot()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p.Replace("Refunds are accepted within 30 days.\n", "", StringComparison.Ordinal));
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        var shipping = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions { Tags = ["shipping"] }, None), null, None);

        var refunds = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions { Tags = ["refunds"] }, None), null, None);

        Assert.Equal((GateResult.Pass, null), (shipping.Result, shipping.Verdict));
        Assert.Equal(GateResult.Blocked, refunds.Result);
        var stored = Assert.Single(await app.Store.GateVerdicts.ListAsync("shop", refunds.Start.Candidate.Id, None));
        Assert.Equal(refunds.Verdict!.Id, stored.Id);
        Assert.False((await app.Store.GateVerdicts.LatestAsync("shop", refunds.Start.Candidate.Id, v1.Id, None))!.Passed);
        using var details = JsonDocument.Parse(stored.DetailsJson);
        Assert.Equal("only the cases tagged refunds", details.RootElement.GetProperty("partial").GetString());
    }

    [Fact]
    public async Task RunAsync_PassOverATagAfterABlockOverAll_IsNotStoredSoTheBlockStaysTheLatest()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p.Replace("Refunds are accepted within 30 days.\n", "", StringComparison.Ordinal));
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        var full = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions(), None), null, None);

        var tagged = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions { Tags = ["shipping"] }, None), null, None);

        Assert.Equal(GateResult.Blocked, full.Result);
        Assert.Equal(GateResult.Pass, tagged.Result);
        Assert.Null(tagged.Verdict);
        Assert.Equal("only the cases tagged shipping", tagged.Report.Partial);
        Assert.Null(full.Report.Partial);
        var latest = await app.Store.GateVerdicts.LatestAsync("shop", full.Start.Candidate.Id, v1.Id, None);
        Assert.Equal(full.Verdict!.Id, latest!.Id);
        Assert.False(latest.Passed);
    }

    [Fact]
    public async Task RunAsync_AnotherDatasetOrFewerTrials_IsPartialAndNotStored()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.WriteFile("evals/tiny.jsonl", """
            {"id":"shipping","input":{"messages":[{"role":"user","content":"How long is shipping?"}]},"expect":{"contains":["5 days"]}}

            """);
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var other = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions { Dataset = "evals/tiny.jsonl" }, None), null, None);

        Assert.Null(other.Verdict);
        Assert.Equal("the dataset evals/tiny.jsonl instead of eval.dataset evals/cases.jsonl", other.Report.Partial);
        Assert.Empty(await app.Store.GateVerdicts.ListAsync("shop", other.Start.Candidate.Id, None));
    }

    [Fact]
    public async Task RunAsync_TheManifestsDatasetNamedAnotherWayAndMoreTrials_IsTheWholeGateAndStored()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var outcome = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions { Dataset = "./evals/../evals/cases.jsonl", Trials = 2 }, None), null, None);

        Assert.Null(outcome.Report.Partial);
        Assert.NotNull(outcome.Verdict);
        Assert.Single(await app.Store.GateVerdicts.ListAsync("shop", outcome.Start.Candidate.Id, None));
    }

    [Fact]
    public async Task StartAsync_BaselineEnvironmentWithoutAStableRelease_SaysToGateAgainstAnotherRegisteredRelease()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        await app.RegisterAsync();
        app.EditPrompt(p => p + "Be brief.\n");
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => gates.StartAsync("working", null, new EvalRunOptions(), None));

        Assert.Equal(
            "baseline env:production: environment 'production' has no stable release yet; deploy or promote one first. " +
            "Gate against another registered release instead, e.g. --baseline v2 ('glidepath release list' shows them)",
            ex.Message);
    }

    // Newcomer trial L5: on a fresh app the hint was "--baseline v1" with v1 the candidate itself; following it stored a
    // meaningless "Gate PASS: v1+… vs v1+…". The candidate is never suggested; with no other release the hint says so.
    [Theory]
    [InlineData("working", "nothing to gate working against", "A first release needs no gate: glidepath release create, then glidepath deploy vN --env production")]
    [InlineData("v1", "nothing to gate v1 against", "A first release needs no gate: glidepath deploy v1 --env production; gate the next change against it")]
    public async Task StartAsync_BaselineEnvironmentEmptyAndTheCandidateIsTheOnlyRelease_NeverSuggestsTheCandidate(string candidate, string nothing, string first)
    {
        await using var app = await EvalTestApp.CreateAsync();
        if (candidate == "v1")
        {
            await app.RegisterAsync();
        }

        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => gates.StartAsync(candidate, null, new EvalRunOptions(), None));

        Assert.DoesNotContain("--baseline v1", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"No other release of shop is registered, so there is {nothing}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(first, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BaselineEnvironmentNotDeclared_KeepsTheResolversMessage()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => gates.StartAsync("working", "env:staging", new EvalRunOptions(), None));

        Assert.StartsWith("unknown environment 'staging'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ResumeAFinishedRun_DecidesAgainFromStoredResultsWithoutModelCalls()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.EditPrompt(p => p.Replace("Shipping takes 5 days.\n", "", StringComparison.Ordinal));
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        var first = await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions(), None), null, None);
        var calls = app.Calls;

        var resumed = await gates.StartAsync(null, null, new EvalRunOptions { Resume = first.Start.Run.Id }, None);
        var again = await gates.RunAsync(resumed, null, None);

        Assert.True(resumed.Resumed);
        Assert.Equal((first.Start.Candidate.Id, first.Start.Baseline.Id), (resumed.Candidate.Id, resumed.Baseline.Id));
        Assert.Equal(calls, app.Calls);
        Assert.Equal(GateResult.Blocked, again.Result);
        Assert.Equal(["shipping", "shipping-again"], again.Report.Decision.Regressions.Select(c => c.CaseId));
        Assert.Equal(2, (await app.Store.GateVerdicts.ListAsync("shop", first.Start.Candidate.Id, None)).Count);
    }

    // gate --resume of a gate started with --no-cache served the rest from the response cache (811 results in ~1 s).
    [Fact]
    public async Task RunAsync_ResumeOfANoCacheGateWithoutTheFlag_CallsTheModelForBothSides()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.EditPrompt(p => p + "Be brief.\n");
        using (var cached = app.Evals(useCache: true))
        {
            var gates = new GateService(cached, app.Store.GateVerdicts, app.Time);
            await gates.RunAsync(await gates.StartAsync("working", "v1", new EvalRunOptions(), None), null, None);
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
        var freshGates = new GateService(fresh, app.Store.GateVerdicts, app.Time);
        var start = await freshGates.StartAsync("working", "v1", new EvalRunOptions { Concurrency = 1 }, None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => freshGates.RunAsync(start, null, cts.Token));
        app.BeforeAnswer = null;

        using var resuming = app.Evals(useCache: true); // gate --resume RUN, without --no-cache
        var resumingGates = new GateService(resuming, app.Store.GateVerdicts, app.Time);
        var resumed = await resumingGates.StartAsync(null, null, new EvalRunOptions { Resume = start.Run.Id }, None);
        var callsBefore = app.Calls;
        var outcome = await resumingGates.RunAsync(resumed, null, None);

        Assert.Equal(5, app.Calls - callsBefore); // 3 cases × 2 sides, one saved before the stop; none from the cache
        Assert.Equal(GateResult.Pass, outcome.Result);
    }

    [Fact]
    public async Task RunAsync_StoredTrials_AnswersOnlyForChangedCasesFromTheTrialsEachSideShows()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        var start = await gates.StartAsync("working", "v1", new EvalRunOptions { Trials = 5 }, None);
        TrialResult Trial(bool baseline, string caseId, int trial, TrialStatus status) => new()
        {
            RunId = start.Run.Id,
            ReleaseId = baseline ? start.Baseline.Id : start.Candidate.Id,
            CaseId = caseId,
            Trial = trial,
            Status = status,
            Score = status switch { TrialStatus.Pass => 1, TrialStatus.Fail => 0, _ => null },
            Output = $"{(baseline ? "baseline" : "candidate")} {caseId} trial {trial}",
            Scores = status == TrialStatus.Fail ? [new ScoreOutcome { Scorer = "contains", Reason = "missing '30 days'" }] : [],
            Error = status == TrialStatus.Error ? "provider answered 500" : null,
        };
        TrialStatus Pass(bool yes) => yes ? TrialStatus.Pass : TrialStatus.Fail;

        // Every trial saved beforehand, latest trial first, so that the order saved is not the trial order: nothing is left to call.
        // refund: the candidate passes trial 0 only (5/5 → 1/5 regresses); shipping: the baseline fails trial 0 and the
        // candidate errors on trial 2; shipping-again passes everywhere.
        var trials = Enumerable.Range(0, 5).Reverse().SelectMany(t => new[]
        {
            Trial(true, "refund", t, TrialStatus.Pass), Trial(false, "refund", t, Pass(t == 0)),
            Trial(true, "shipping", t, Pass(t > 0)), Trial(false, "shipping", t, t == 2 ? TrialStatus.Error : TrialStatus.Pass),
            Trial(true, "shipping-again", t, TrialStatus.Pass), Trial(false, "shipping-again", t, TrialStatus.Pass),
        }).ToList();
        await app.Store.EvalRuns.SaveResultsAsync(trials, None);
        // A trial stored as an error is asked again (an error is not a measurement; eval.md, "Persistence and resume"):
        // here it errors again, so the stored trials are what the gate shows.
        app.BeforeAnswer = _ => throw new Glidepath.Errors.ProviderException("sim", 400, "rejected again", Glidepath.Errors.ProviderFailure.Rejected);

        var outcome = await gates.RunAsync(start, null, None);

        Assert.Equal(1, app.Calls);
        Assert.Equal([15, 15], outcome.Summaries.Select(s => s.Trials));
        var error = Assert.Single(outcome.Report.Decision.Errors);
        Assert.Equal(("candidate", "shipping", 2), (error.Side, error.CaseId, error.Trial));
        Assert.Contains("rejected again", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            [
                ("refund", CaseChange.Regressed, "baseline refund trial 0", "candidate refund trial 1", "contains: missing '30 days'"),
                ("shipping", CaseChange.Error, "baseline shipping trial 1", "", error.Message),
                ("shipping-again", CaseChange.Same, null, null, null),
            ],
            outcome.Report.Decision.Cases.Select(c => (c.CaseId, c.Change, c.BaselineOutput, c.CandidateOutput, c.CandidateReason)));
    }

    [Fact]
    public async Task RunAsync_DatasetChangedAfterTheStart_FailsAsBadInputKeepingTheFinishedResults()
    {
        await using var app = await EvalTestApp.CreateAsync();
        await app.RegisterAsync();
        app.EditPrompt(p => p + "Be kind.\n");
        using var evals = app.Evals();
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        var start = await gates.StartAsync("working", "v1", new EvalRunOptions { Concurrency = 1 }, None);
        app.EditDataset(d => d.Replace("When will it arrive?", "When does it arrive?", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<BadInputException>(() => gates.RunAsync(start, null, None));

        Assert.Contains("evals/cases.jsonl changed while the run was reading it", ex.Message, StringComparison.Ordinal);
        Assert.Equal(6, (await app.Store.EvalRuns.CompletedAsync(start.Run.Id, None)).Count);
        Assert.Empty(await app.Store.GateVerdicts.ListAsync("shop", start.Candidate.Id, None));
    }
}
