using Glidepath.Errors;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>A run's judge spend (trial gatejudge2 M2/M3): added up from its results' judge usage, merged across processes, stored as JSON.</summary>
public sealed class JudgeSpendTests
{
    private static TrialResult Judged(string release, TrialStatus status, string usd, bool cached = false, string scorer = "llm_judge") => new()
    {
        RunId = "run",
        ReleaseId = release,
        CaseId = "c",
        Trial = 0,
        Status = status,
        Scores =
        [
            new ScoreOutcome { Scorer = "contains", Score = 1, Passed = true },
            new ScoreOutcome
            {
                Scorer = scorer,
                Error = status == TrialStatus.Error ? "judge openai/judge-1: no score" : null,
                Metadata = new Dictionary<string, string> { [JudgeUsage.CachedKey] = cached ? "true" : "false", [JudgeUsage.CostUsdKey] = usd },
            },
        ],
    };

    [Fact]
    public void Of_EveryJudgeAnswer_AnErroredOneToo_CachedCostedButNotCalled_PerReleaseAndJudge()
    {
        var spend = JudgeSpend.Of(
        [
            Judged("a", TrialStatus.Pass, "0.006"), Judged("a", TrialStatus.Error, "0.009"), Judged("a", TrialStatus.Fail, "0.006", cached: true),
            Judged("b", TrialStatus.Pass, "0.001"), Judged("a", TrialStatus.Pass, "0.002", scorer: "llm_judge#2"),
        ]);

        Assert.Equal(
            [
                new JudgeSpend("a", "llm_judge") { Calls = 2, CostUsd = 0.021m, DearestUsd = 0.009m },
                new JudgeSpend("b", "llm_judge") { Calls = 1, CostUsd = 0.001m, DearestUsd = 0.001m },
                new JudgeSpend("a", "llm_judge#2") { Calls = 1, CostUsd = 0.002m, DearestUsd = 0.002m },
            ],
            spend);
        Assert.Equal((3, (double?)0.023, 0, 0.0), JudgeSpend.For(spend, "a"));
        Assert.Equal((0, (double?)null, 0, 0.0), JudgeSpend.For(spend, "c"));
    }

    [Fact]
    public void Merge_NoneRecorded_IsWhatIsAdded_UnpricedStaysNullUntilPriced()
    {
        var unpriced = new JudgeSpend("a", "llm_judge") { Calls = 1 };

        var once = JudgeSpend.Merge(null, [unpriced]);
        var twice = JudgeSpend.Merge(once, [unpriced with { CostUsd = 0.5m, DearestUsd = 0.5m }]);

        Assert.Null(Assert.Single(once).CostUsd);
        Assert.Equal(new JudgeSpend("a", "llm_judge") { Calls = 2, CostUsd = 0.5m, DearestUsd = 0.5m }, Assert.Single(twice));
    }

    [Fact]
    public void Json_RoundTripsExactly_NullIsNoneRecorded()
    {
        IReadOnlyList<JudgeSpend> spend = [new JudgeSpend("a", "llm_judge") { Calls = 3, CostUsd = 0.30000000000000000001m, DearestUsd = 0.1m }, new JudgeSpend("b", "llm_judge") { Calls = 1 }];

        Assert.Equal(spend, JudgeSpendJson.Read(JudgeSpendJson.Write(spend), "run"));
        Assert.Null(JudgeSpendJson.Read(JudgeSpendJson.Write(null), "run"));
        Assert.Empty(JudgeSpendJson.Read("[]", "run")!);
    }

    // Trial gatejudge3 M2: a judge call that got no answer was counted by the process that made it only; a resume started
    // without it. Its estimate is in the stored spend, apart from the answers' calls and cost.
    [Fact]
    public void Of_ACallThatGotNoAnswer_CountedApartAtItsEstimate_InTheJsonAndInFor()
    {
        var timedOut = new TrialResult
        {
            RunId = "run",
            ReleaseId = "a",
            CaseId = "c",
            Trial = 1,
            Status = TrialStatus.Error,
            Scores = [new ScoreOutcome { Scorer = "llm_judge", Error = "the judge openai/judge-1 failed: timeout", Metadata = new Dictionary<string, string> { [JudgeUsage.UnansweredUsdKey] = "0.0015" } }],
        };

        var spend = JudgeSpend.Of([Judged("a", TrialStatus.Pass, "0.0015"), timedOut, timedOut]);

        var entry = Assert.Single(spend);
        Assert.Equal(new JudgeSpend("a", "llm_judge") { Calls = 1, CostUsd = 0.0015m, DearestUsd = 0.0015m, UnansweredCalls = 2, UnansweredUsd = 0.003m }, entry);
        Assert.Equal((1, (double?)0.0015, 2, 0.003), JudgeSpend.For(spend, "a"));
        Assert.Equal(spend, JudgeSpendJson.Read(JudgeSpendJson.Write(spend), "run"));
        Assert.Contains("\"unanswered_calls\":2,\"unanswered_usd\":0.003", JudgeSpendJson.Write(spend), StringComparison.Ordinal);
    }

    // The cap counts from this value: one that does not read is refused, never taken as nothing spent.
    [Theory]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("[{\"release_id\":\"a\",\"scorer\":\"llm_judge\",\"calls\":1,\"cost_usd\":-1,\"dearest_usd\":0}]")]
    [InlineData("[{\"release_id\":\"a\",\"calls\":1,\"cost_usd\":1,\"dearest_usd\":0}]")]
    public void Json_Unreadable_Refused(string json)
    {
        var ex = Assert.Throws<OperationalException>(() => JudgeSpendJson.Read(json, "20261207-091748-ab84"));

        Assert.Contains("judge spend stored with eval run 20261207-091748-ab84 cannot be read", ex.Message, StringComparison.Ordinal);
    }
}
