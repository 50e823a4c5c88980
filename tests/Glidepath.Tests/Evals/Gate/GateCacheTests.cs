using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Tests.Evals.Runs;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>What running a gate again does with the response cache (docs/eval.md, "The gate" and "Newest counts").</summary>
public sealed class GateCacheTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // The docs and the stderr note said a re-run "re-draws only the candidate"; the candidate's answers are cached too.
    [Fact]
    public async Task RunAsync_BlockedGateRunAgainWithTheCache_ReplaysBothSidesWithoutAModelCall_NoCacheCallsBoth()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        app.EditPrompt(p => p.Replace("Refunds are accepted within 30 days.\n", "", StringComparison.Ordinal));

        var first = await GateAsync(app, v1.Name, useCache: true);
        var afterFirst = app.Calls;
        var again = await GateAsync(app, v1.Name, useCache: true);
        var afterAgain = app.Calls;
        var fresh = await GateAsync(app, v1.Name, useCache: false);

        Assert.Equal(6, afterFirst); // 3 cases × 1 trial × 2 sides, nothing cached yet
        Assert.Equal(afterFirst, afterAgain);
        Assert.Equal((GateResult.Blocked, GateResult.Blocked), (first.Result, again.Result));
        Assert.Equal(first.Report.Decision.Regressions.Select(c => c.CaseId), again.Report.Decision.Regressions.Select(c => c.CaseId));
        Assert.Equal(6, app.Calls - afterAgain);
        Assert.Equal(GateResult.Blocked, fresh.Result);
    }

    private static async Task<GateOutcome> GateAsync(EvalTestApp app, string baseline, bool useCache)
    {
        using var evals = app.Evals(useCache);
        var gates = new GateService(evals, app.Store.GateVerdicts, app.Time);
        return await gates.RunAsync(await gates.StartAsync("working", baseline, new EvalRunOptions(), None), null, None);
    }
}
