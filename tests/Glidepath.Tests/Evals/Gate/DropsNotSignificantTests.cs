using Glidepath.Evals.Gate;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>
/// Outside trial gatejudge M4: among many noisy cases one went 8/10 → 1/10 (p 0.0027, adjusted above 0.025), so it was no
/// regression and read <c>same</c> everywhere, with no hint. Such drops are listed now; they never change the verdict.
/// </summary>
public sealed class DropsNotSignificantTests
{
    private static readonly GateRule Rule = new() { MaxCaseRegressions = 0, MaxMeanDrop = 0, Confidence = 0.95 };

    [Fact]
    public void Decide_OneCaseDropsAmongManyNoisyOnes_PassesAndListsItAsADropNotSignificant()
    {
        var decision = GateEvaluator.Decide(Noisy(dropTo: 1), Rule);

        Assert.Equal(GateResult.Pass, decision.Result);
        var drops = Assert.IsType<DropsNotSignificant>(decision.DropsNotSignificant);
        var c = Assert.Single(drops.Largest);
        Assert.Equal((1, "case-0", CaseChange.Same), (drops.Cases, c.CaseId, c.Change));
        Assert.True(c.PValue <= 0.025 && c.AdjustedPValue > 0.025, $"p {c.PValue}, adjusted {c.AdjustedPValue}");
        Assert.Equal((0.025, 61), (Math.Round(drops.FamilyAlpha, 12), drops.Tested));
        Assert.InRange(drops.ExpectedByChance, c.PValue!.Value, 61 * 0.025);
        Assert.Equal($"case-0: baseline 8/10 → candidate 1/10 (p = {PValueText.Of(c.PValue.Value)}, adjusted {PValueText.Of(c.AdjustedPValue!.Value)})", drops.Line(c));
        Assert.StartsWith("1 case(s) scored lower on the candidate with p at or below 0.025 on their own, but not after the correction over 61 tested case(s): not regressions", drops.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SameNoisySuiteWithoutTheDrop_NoDropsNotSignificant()
    {
        var decision = GateEvaluator.Decide(Noisy(dropTo: 8), Rule);

        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Null(decision.DropsNotSignificant);
    }

    // Alone, the same drop is a regression: named as one, not listed again.
    [Fact]
    public void Decide_TheDropSignificantAfterCorrection_RegressedAndNotListed()
    {
        var decision = GateEvaluator.Decide([Case("case-0", 8, 1, 10)], Rule);

        Assert.Equal(GateResult.Blocked, decision.Result);
        Assert.Equal(["case-0"], decision.Regressions.Select(c => c.CaseId));
        Assert.Null(decision.DropsNotSignificant);
    }

    // Seven cases 4/4 → 0/4: each p = 1/70 ≈ 0.014, but charged together (7/70) none is named. Listed on a block too (the
    // mean rule blocks with seven moved cases), the five strongest shown.
    [Fact]
    public void Decide_SevenDropsNotSignificant_ListsTheFirstFiveAndCountsAll_AlsoOnABlock()
    {
        var cases = Enumerable.Range(0, 7).Select(i => Case($"case-{i}", 4, 0, 4)).Append(Case("case-7", 4, 4, 4)).ToList();

        var decision = GateEvaluator.Decide(cases, Rule);

        Assert.Equal(GateResult.Blocked, decision.Result);
        Assert.Empty(decision.Regressions);
        var drops = Assert.IsType<DropsNotSignificant>(decision.DropsNotSignificant);
        Assert.Equal(7, drops.Cases);
        Assert.Equal(["case-0", "case-1", "case-2", "case-3", "case-4"], drops.Largest.Select(c => c.CaseId));
        Assert.Equal("case-0: baseline 4/4 → candidate 0/4 (p = 0.0143, adjusted 0.1)", drops.Line(drops.Largest[0]));
    }

    [Fact]
    public void Decide_TheSmallerPFirst()
    {
        // case-x (10/10 → 3/10, p 0.0015) has a smaller p than case-0 (8/10 → 1/10, p 0.0027); both are charged beside 60 noisy cases.
        var cases = Noisy(dropTo: 1);
        cases.Insert(1, Case("case-x", 10, 3, 10));

        var drops = GateEvaluator.Decide(cases, Rule).DropsNotSignificant;

        Assert.NotNull(drops);
        Assert.Equal(["case-x", "case-0"], drops.Largest.Select(c => c.CaseId));
    }

    [Fact]
    public void Decide_VerdictError_NoDropsNotSignificant()
    {
        var cases = Noisy(dropTo: 1);
        cases[1] = cases[1] with { Candidate = [.. cases[1].Candidate.Skip(1), GateSimulation.Trial("c", "case-1", 0, false, TrialStatus.Error)] };

        var decision = GateEvaluator.Decide(cases, Rule);

        Assert.Equal(GateResult.Error, decision.Result);
        Assert.Null(decision.DropsNotSignificant);
    }

    // case-0 goes 8/10 → dropTo/10; 60 cases pass 5 of 10 trials on both sides, and each is charged beside it by the correction.
    private static List<GateCaseInput> Noisy(int dropTo) =>
        [Case("case-0", 8, dropTo, 10), .. Enumerable.Range(1, 60).Select(i => Case($"case-{i}", 5, 5, 10))];

    private static GateCaseInput Case(string id, int baselinePasses, int candidatePasses, int trials) => new(id,
        [.. Enumerable.Range(0, trials).Select(t => GateSimulation.Trial("b", id, t, t < baselinePasses))],
        [.. Enumerable.Range(0, trials).Select(t => GateSimulation.Trial("c", id, t, t < candidatePasses))]);
}
