using Glidepath.Evals.Gate;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>
/// Outside trial author #1: a case that fails every trial on both sides (a broken expectation) can never block, so it hid a
/// regression for good without a word. The gate now names such cases; it never changes the verdict for them.
/// </summary>
public sealed class AlwaysFailingTests
{
    private static readonly GateRule Rule = new() { MaxCaseRegressions = 0, MaxMeanDrop = 0, Confidence = 0.95 };

    [Fact]
    public void Decide_ACaseFailingEveryTrialOnBothSides_PassesAndNamesIt()
    {
        var decision = GateEvaluator.Decide(GateSimulation.Cases(new Random(1), 3, (0.0, 0.0), (1.0, 1.0), (1.0, 1.0)), Rule);

        Assert.Equal(GateResult.Pass, decision.Result);
        var failing = Assert.IsType<AlwaysFailing>(decision.AlwaysFailing);
        Assert.Equal(1, failing.Cases);
        Assert.Equal(["case-0"], failing.Examples);
        Assert.StartsWith("1 case(s) failed on every trial on both sides (case-0): they cannot show a regression; check their expectations (glidepath eval show ", failing.Message, StringComparison.Ordinal);
        Assert.Contains("glidepath eval show 20261206-x ", failing.ForRun("20261206-x").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Blocked_StillNamesThem_AndTheVerdictIsUnchanged()
    {
        // One trial a side: case-1 passed on the baseline and failed on the candidate (the deterministic rule blocks).
        var decision = GateEvaluator.Decide(GateSimulation.Cases(new Random(1), 1, (0.0, 0.0), (1.0, 0.0), (0.0, 0.0)), Rule);

        Assert.Equal(GateResult.Blocked, decision.Result);
        Assert.Equal(["case-0", "case-2"], decision.AlwaysFailing!.Examples);
        Assert.Equal(["case-1"], decision.Regressions.Select(c => c.CaseId));
    }

    [Fact]
    public void Decide_OnePassingTrialOnEitherSide_IsNotAlwaysFailing()
    {
        var cases = GateSimulation.Cases(new Random(1), 3, (0.0, 0.0), (0.0, 0.0));
        cases[0] = cases[0] with { Baseline = [GateSimulation.Trial("b", "case-0", 0, true), .. cases[0].Baseline.Skip(1)] };
        cases[1] = cases[1] with { Candidate = [GateSimulation.Trial("c", "case-1", 0, true), .. cases[1].Candidate.Skip(1)] };

        Assert.Null(GateEvaluator.Decide(cases, Rule).AlwaysFailing);
    }

    [Fact]
    public void Decide_VerdictError_NoAlwaysFailing()
    {
        var cases = GateSimulation.Cases(new Random(1), 3, (0.0, 0.0), (1.0, 1.0));
        cases[1] = cases[1] with { Candidate = [GateSimulation.Trial("c", "case-1", 0, false, TrialStatus.Error)] };

        var decision = GateEvaluator.Decide(cases, Rule);

        Assert.Equal(GateResult.Error, decision.Result);
        Assert.Null(decision.AlwaysFailing);
    }
}
