using Glidepath.Evals.Gate;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>
/// Outside trial gate #1: a pass that neither rule could have turned into a block (too few trials for a case to be named,
/// too few cases moved for the mean rule) says so, and names the cases that scored lower.
/// </summary>
public sealed class CannotBlockTests
{
    private static readonly GateRule Rule = new() { MaxCaseRegressions = 0, MaxMeanDrop = 0, Confidence = 0.95 };

    // Every case passes all trials on both sides except the first `collapsed`, which pass every baseline trial and fail every candidate one.
    private static List<GateCaseInput> Suite(int cases, int trials, int collapsed, int improved = 0) => GateSimulation.Cases(new Random(1), trials,
        [.. Enumerable.Repeat((1.0, 0.0), collapsed), .. Enumerable.Repeat((0.0, 1.0), improved), .. Enumerable.Repeat((1.0, 1.0), cases - collapsed - improved)]);

    [Fact]
    public void Decide_FiveOf200CasesCollapseAtThreeTrials_PassesSayingItCouldNotHaveBlockedThem()
    {
        var decision = GateEvaluator.Decide(Suite(200, 3, collapsed: 5), Rule);

        Assert.Equal(GateResult.Pass, decision.Result);
        var blind = Assert.IsType<CannotBlock>(decision.CannotBlock);
        Assert.Equal(5, blind.CasesLower);
        Assert.Equal(["case-0", "case-1", "case-2", "case-3", "case-4"], blind.Examples);
        Assert.StartsWith(
            "this gate could not have blocked the 5 case(s) that scored lower on the candidate (case-0, case-1, case-2, case-3, case-4): " +
            "at 3 trials a side the per-case test would not name any of them even had each gone from 3/3 passed to 0/3 (p 0.05 each, threshold 0.025), " +
            "and only 5 of 200 cases moved, too few for the mean rule's 95% interval to lie wholly below 0. More trials fix it (5 such cases can be named from 5 trials a side at best)",
            blind.Message,
            StringComparison.Ordinal);
        Assert.Contains("glidepath gate --plan", blind.Message, StringComparison.Ordinal);
        Assert.Contains("glidepath gate --trials N", blind.Message, StringComparison.Ordinal);
    }

    // Six cases moved: with all six at −1 only 1 subset in 64 holds none of them, so the mean rule could have blocked.
    [Fact]
    public void Decide_SixCasesMovedAtThreeTrials_NoCannotBlockEvenWhenItPasses()
    {
        var decision = GateEvaluator.Decide(Suite(200, 3, collapsed: 5, improved: 1), Rule);

        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Null(decision.CannotBlock);
    }

    [Fact]
    public void Decide_SixCasesCollapseAtThreeTrials_BlocksOnTheMean()
    {
        var decision = GateEvaluator.Decide(Suite(200, 3, collapsed: 6), Rule);

        Assert.Equal(GateResult.Blocked, decision.Result);
        Assert.Null(decision.CannotBlock);
    }

    // At ten trials a collapse would be named, so a case that slipped by one trial is not something the gate was blind to.
    [Fact]
    public void Decide_FiveCasesSlipOneTrialOfTen_PassesWithoutCannotBlock()
    {
        var cases = Suite(200, 10, collapsed: 0);
        for (var i = 0; i < 5; i++)
        {
            cases[i] = cases[i] with { Candidate = [.. cases[i].Candidate.Select(t => t.Trial == 0 ? GateSimulation.Trial("c", t.CaseId, 0, pass: false) : t)] };
        }

        var decision = GateEvaluator.Decide(cases, Rule);

        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Null(decision.CannotBlock);
    }

    // At four trials one collapse alone is named (p 1/70 ≤ 0.025), two together are not (2/70 > 0.025): the correction counts.
    [Fact]
    public void Decide_TwoCasesCollapseAtFourTrials_PassesSayingItCouldNotHaveBlockedThem()
    {
        var one = GateEvaluator.Decide(Suite(200, 4, collapsed: 1), Rule);
        var two = GateEvaluator.Decide(Suite(200, 4, collapsed: 2), Rule);

        Assert.Equal(GateResult.Blocked, one.Result);
        Assert.Equal(GateResult.Pass, two.Result);
        Assert.Equal(2, two.CannotBlock?.CasesLower);
        Assert.Contains("(p 0.0143 each, but the correction charges them together, above the threshold 0.025)", two.CannotBlock!.Message, StringComparison.Ordinal);
        Assert.Contains("(2 such cases can be named from 5 trials a side at best)", two.CannotBlock.Message, StringComparison.Ordinal);
    }

    // A tolerated drop needs more moved cases before the mean rule can exclude it: 20 collapses of 200 cannot reach below −0.2.
    [Fact]
    public void Decide_TwentyCollapsesUnderMaxMeanDrop02AtThreeTrials_PassesSayingItCouldNotHaveBlockedThem()
    {
        var decision = GateEvaluator.Decide(Suite(200, 3, collapsed: 20), Rule with { MaxMeanDrop = 0.2 });

        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Equal(20, decision.CannotBlock?.CasesLower);
        Assert.Equal(CannotBlock.MaxExamples, decision.CannotBlock!.Examples.Count);
        Assert.Contains("interval to lie wholly below -0.2", decision.CannotBlock.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OneTrialASide_DeterministicRuleNamesAnyCollapse_NoCannotBlock()
    {
        var decision = GateEvaluator.Decide(Suite(200, 1, collapsed: 1), Rule with { MaxCaseRegressions = 1 });

        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Null(decision.CannotBlock);
    }
}
