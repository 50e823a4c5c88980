using Glidepath.Evals.Gate;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Gate;

public sealed class GateEvaluatorTests
{
    private static readonly GateRule Rule = new() { MaxCaseRegressions = 0, MaxMeanDrop = 0, Confidence = 0.95 };

    [Fact]
    public void Decide_FlakyCaseSameRateBothSidesTrials10_PassesAtLeast95Of100SeededRuns()
    {
        var passes = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var random = new Random(seed);
            var cases = GateSimulation.Cases(random, 10, [(0.7, 0.7), .. Enumerable.Repeat((1.0, 1.0), 19)]);
            passes += GateEvaluator.Decide(cases, Rule with { Seed = seed }).Result == GateResult.Pass ? 1 : 0;
        }

        Assert.True(passes >= 95, $"passed {passes} of 100");
    }

    [Fact]
    public void Decide_SingleFlakyCaseSameRateTrials10_PassesAtLeast95Of100SeededRuns()
    {
        var passes = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var cases = GateSimulation.Cases(new Random(1000 + seed), 10, (0.7, 0.7));
            passes += GateEvaluator.Decide(cases, Rule with { Seed = seed }).Result == GateResult.Pass ? 1 : 0;
        }

        Assert.True(passes >= 95, $"passed {passes} of 100");
    }

    [Fact]
    public void Decide_TrueDropFrom100To30Trials10_BlocksAtLeast95Of100SeededRuns()
    {
        var blocks = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var random = new Random(seed);
            var cases = GateSimulation.Cases(random, 10, [(1.0, 0.3), .. Enumerable.Repeat((1.0, 1.0), 19)]);
            var decision = GateEvaluator.Decide(cases, Rule with { Seed = seed });
            blocks += decision.Result == GateResult.Blocked && decision.Regressions.Any(r => r.CaseId == "case-0") ? 1 : 0;
        }

        Assert.True(blocks >= 95, $"blocked {blocks} of 100");
    }

    [Fact]
    public void Decide_Trials1PassedOnBaselineFailedOnCandidate_BlocksNamingTheCase()
    {
        var cases = GateSimulation.Cases(new Random(1), 1, (1.0, 0.0), (1.0, 1.0), (0.0, 0.0));
        var decision = GateEvaluator.Decide(cases, Rule);
        Assert.Equal(GateResult.Blocked, decision.Result);
        Assert.Equal(["case-0"], decision.Regressions.Select(r => r.CaseId));
        Assert.Equal(1, decision.ExitCode);
    }

    [Fact]
    public void Decide_IdenticalResults_PassesWithZeroInterval()
    {
        var cases = GateSimulation.Cases(new Random(1), 1, (1.0, 1.0), (0.0, 0.0));
        var decision = GateEvaluator.Decide(cases, Rule);
        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Equal(0, decision.CiLow);
        Assert.Equal(0, decision.ExitCode);
    }

    [Fact]
    public void Decide_RegressionsWithinAllowance_Passes()
    {
        var cases = GateSimulation.Cases(new Random(1), 1, [(1.0, 0.0), .. Enumerable.Repeat((1.0, 1.0), 40)]);
        var decision = GateEvaluator.Decide(cases, Rule with { MaxCaseRegressions = 1, MaxMeanDrop = 0.1 });
        Assert.Equal(GateResult.Pass, decision.Result);
    }

    [Fact]
    public void Decide_DiffuseSmallDropsAcrossManyCases_BlocksOnTheMeanEvenWithoutCaseRegressions()
    {
        // Every case's score slips from 1.0 to 0.8 while still passing: no case regresses, the mean does.
        var cases = GateSimulation.Cases(new Random(1), 1, Enumerable.Repeat((1.0, 1.0), 30).ToArray())
            .Select(c => c with { Candidate = c.Candidate.Select(t => t with { Score = 0.8 }).ToList() }).ToList();
        var decision = GateEvaluator.Decide(cases, Rule with { MaxCaseRegressions = 5 });
        Assert.Equal(GateResult.Blocked, decision.Result);
        Assert.Empty(decision.Regressions);
        Assert.True(decision.CiHigh < 0);
    }

    [Fact]
    public void Decide_AnyErroredTrial_IsErrorExit3()
    {
        var cases = GateSimulation.Cases(new Random(1), 1, (1.0, 1.0), (1.0, 1.0));
        cases[1] = cases[1] with { Candidate = [GateSimulation.Trial("c", "case-1", 0, false, TrialStatus.Error)] };
        var decision = GateEvaluator.Decide(cases, Rule);
        Assert.Equal(GateResult.Error, decision.Result);
        Assert.Equal(3, decision.ExitCode);
        Assert.Single(decision.Errors);
    }

    [Fact]
    public void Decide_ZeroCases_IsError()
    {
        var decision = GateEvaluator.Decide([], Rule);
        Assert.Equal(GateResult.Error, decision.Result);
        Assert.Equal(3, decision.ExitCode);
    }

    [Fact]
    public void FisherExact_TenOfTenVersusSixOfTen_IsSignificantAtFivePercent()
    {
        Assert.Equal(210.0 / 4845.0, FisherExact.PLess(10, 10, 6, 10), 9);
        Assert.True(FisherExact.PLess(10, 10, 7, 10) > 0.05);
        Assert.Equal(210.0 / 4845.0, FisherExact.PGreater(6, 10, 10, 10), 9);
        Assert.Equal(1.0, FisherExact.PLess(4, 10, 10, 10), 9);
    }
}
