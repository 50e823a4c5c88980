using Glidepath.Evals;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Gate verdicts: append-only, the newest per candidate and baseline wins.</summary>
public abstract class GateVerdictStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static GateVerdictRecord Verdict(string id, string candidate, string baseline, string result, DateTimeOffset at) =>
        new(id, "app", candidate, baseline, "d5", result, "judge-1", at, "{\"cases\":3}");

    [Fact]
    public async Task LatestAsync_SeveralVerdicts_ReturnsNewestForThatBaseline()
    {
        var verdicts = Store.GateVerdicts;
        await verdicts.SaveAsync(Verdict("g1", "v3", "v2", "pass", T0), None);
        await verdicts.SaveAsync(Verdict("g2", "v3", "v2", "blocked", T0.AddMinutes(5)), None);
        await verdicts.SaveAsync(Verdict("g3", "v3", "v1", "pass", T0.AddMinutes(9)), None);

        var latest = await verdicts.LatestAsync("app", "v3", "v2", None);

        Assert.NotNull(latest);
        Assert.Equal("g2", latest.Id);
        Assert.False(latest.Passed);
        Assert.Equal(T0.AddMinutes(5), latest.CreatedAt);
        Assert.Equal(("judge-1", "d5", "{\"cases\":3}"), (latest.JudgeVersion, latest.DatasetSha256, latest.DetailsJson));
        Assert.Null(await verdicts.LatestAsync("app", "v3", "v9", None));
        Assert.Null(await verdicts.LatestAsync("other", "v3", "v2", None));
    }

    [Fact]
    public async Task LatestAsync_SavedOutOfTimeOrder_NewestByTimeWins()
    {
        await Store.GateVerdicts.SaveAsync(Verdict("late", "v3", "v2", "pass", T0.AddHours(1)), None);
        await Store.GateVerdicts.SaveAsync(Verdict("early", "v3", "v2", "blocked", T0), None);

        Assert.Equal("late", (await Store.GateVerdicts.LatestAsync("app", "v3", "v2", None))!.Id);
    }

    [Fact]
    public async Task LatestAsync_SameTime_LaterSaveWins()
    {
        await Store.GateVerdicts.SaveAsync(Verdict("first", "v3", "v2", "blocked", T0), None);
        await Store.GateVerdicts.SaveAsync(Verdict("second", "v3", "v2", "pass", T0), None);

        Assert.Equal("second", (await Store.GateVerdicts.LatestAsync("app", "v3", "v2", None))!.Id);
    }

    [Fact]
    public async Task ListAsync_Candidate_ReturnsAllNewestFirst()
    {
        var verdicts = Store.GateVerdicts;
        await verdicts.SaveAsync(Verdict("g1", "v3", "v2", "pass", T0), None);
        await verdicts.SaveAsync(Verdict("g2", "v3", "v1", "error", T0.AddHours(1)), None);
        await verdicts.SaveAsync(Verdict("g3", "v4", "v3", "pass", T0.AddHours(2)), None);

        var list = await verdicts.ListAsync("app", "v3", None);

        Assert.Equal(["g2", "g1"], list.Select(v => v.Id));
    }

    [Fact]
    public async Task SaveAsync_UnknownResult_RefusedAndNothingStored()
    {
        await StoreAssert.RefusedAsync(() => Store.GateVerdicts.SaveAsync(Verdict("g1", "v3", "v2", "maybe", T0), None));

        Assert.Empty(await Store.GateVerdicts.ListAsync("app", "v3", None));
    }

    [Fact]
    public async Task SaveAsync_SameIdTwice_RefusedAndTheFirstKept()
    {
        await Store.GateVerdicts.SaveAsync(Verdict("g1", "v3", "v2", "blocked", T0), None);

        await StoreAssert.RefusedAsync(() => Store.GateVerdicts.SaveAsync(Verdict("g1", "v3", "v2", "pass", T0.AddHours(1)), None));

        Assert.False(Assert.Single(await Store.GateVerdicts.ListAsync("app", "v3", None)).Passed);
    }

    // Migration 0025: the rule a verdict was computed under is kept as written; a verdict without one reads back without one.
    [Fact]
    public async Task SaveAsync_GateRule_ReadBackAsSaved_AndAVerdictWithoutOneHasNone()
    {
        var rule = new Glidepath.Evals.Gate.VerdictRule(100, 1, 0.95, 10, 20240611, 2000);
        await Store.GateVerdicts.SaveAsync(Verdict("g1", "v3", "v2", "pass", T0) with { GateRule = rule.Json, GateRuleSha256 = rule.Sha256 }, None);
        await Store.GateVerdicts.SaveAsync(Verdict("g0", "v3", "v2", "blocked", T0.AddMinutes(-1)), None);

        var list = await Store.GateVerdicts.ListAsync("app", "v3", None);

        Assert.Equal(["g1", "g0"], list.Select(v => v.Id));
        Assert.Equal((rule.Json, rule.Sha256), (list[0].GateRule, list[0].GateRuleSha256));
        Assert.Equal(((string?)null, (string?)null), (list[1].GateRule, list[1].GateRuleSha256));
        Assert.Equal(rule.Sha256, (await Store.GateVerdicts.LatestAsync("app", "v3", "v2", None))!.GateRuleSha256);
    }
}
