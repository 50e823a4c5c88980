using Glidepath.Bench.CanarySim;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Issue 12's acceptance on traffic the per-request tests do not make: sticky subjects that differ, rare errors, a
/// slower tail. Fixed seeds, the bench's own traffic models (bench/Glidepath.Bench.CanarySim), fewer runs than the
/// bench; each harmful check is also run against the judge without subject groups where that shows the old defect.
/// </summary>
public sealed class JudgeRealTrafficTests
{
    private static readonly Judge Judge = new(JudgePolicy.From(RealTrafficSuite.Plan));

    private static RealScenario Scenario(string key) => RealTrafficSuite.Scenarios().Single(s => s.Key == key);

    // The scenario's position in the suite seeds its runs: fixed for every process (string.GetHashCode is not).
    private static RealResult Run(RealScenario s, int runs, bool withGroups = true, int? horizon = null, bool tellOneArm = true) =>
        RealTrafficSuite.Run(s with { Horizon = horizon ?? s.Horizon }, s.JudgeFor(Judge), runs, seed: 12, lookEvery: 10, withGroups,
            scenarioIndex: Array.FindIndex(RealTrafficSuite.Scenarios(), x => x.Key == s.Key), parallel: false, tellOneArm: tellOneArm);

    // Outside trials attacker2 and "today": requests only stable's provider rejects or times out on inflated stable's
    // error rate, and a canary with more errors of its own was declared safe against it. Stable's lead in such errors is
    // now credited only within chance (Judge.OneArm.cs); the judge that did not tell them apart shows the defect.
    [Theory]
    [InlineData("o-hide", 3000, 15)]
    [InlineData("o-attack", 1000, 0)]
    public void Classify_StableInflatedByOneArmErrors_HarmNeverDeclaredSafe(string key, int horizon, int safeBefore)
    {
        var s = Scenario(key);

        var shipped = Run(s, runs: 30, horizon: horizon);
        var before = Run(s, runs: 30, horizon: horizon, tellOneArm: false);

        Assert.Equal(0, shipped.Advanced);
        Assert.True(before.Advanced >= safeBefore && before.RolledBack == 0, $"before: {before.Advanced} of 30 declared safe, {before.RolledBack} rolled back: the scenario no longer shows the defect");
        if (key == "o-attack")
        {
            Assert.Equal(30, shipped.RolledBack);
        }
    }

    // The unfavourable side: no false rollback where both arms have such errors alike (spread evenly, or from three
    // heavy users on either arm), nor for a canary that accepts what stable refused; that canary is declared safe less
    // often than before (it is judged as an equal canary, not a better one).
    [Theory]
    [InlineData("o-aa")]
    [InlineData("o-aa-h")]
    [InlineData("o-better")]
    public void Classify_OneArmErrorsAlikeOrFewerOnTheCanary_NoFalseRollback(string key)
    {
        var result = Run(Scenario(key), runs: 30, horizon: 3000);

        Assert.Equal(0, result.RolledBack);
    }

    [Fact]
    public void Classify_StickyHeterogeneousSubjectsAa_NoFalseRollbackWhereRequestsAsUnitsRollBack()
    {
        // 2,000 subjects that differ (latency factor, error-prone users, Pareto activity) at a 5% canary.
        var s = Scenario("s-aa-5");

        var shipped = Run(s, runs: 60, horizon: 4000);
        var before = Run(s, runs: 60, withGroups: false, horizon: 4000);

        Assert.True(shipped.RolledBack == 0, $"{shipped.RolledBack} of 60 A/A rollouts rolled back with subject groups");
        Assert.True(before.RolledBack >= 3, $"requests as units rolled back only {before.RolledBack} of 60: the scenario no longer shows the defect");
    }

    [Fact]
    public void Classify_LatencyRegressionWithStickySubjects_NeverDeclaredSafe()
    {
        var result = Run(Scenario("s-lat"), runs: 60, horizon: 3000);

        Assert.Equal(0, result.Advanced);
        Assert.True(result.RolledBack > 0);
    }

    [Theory]
    [InlineData("r-a")]
    [InlineData("r-b")]
    public void Classify_RareErrorsRiseBeyondTolerance_NeverDeclaredSafe(string key)
    {
        var result = Run(Scenario(key), runs: 60, horizon: 3000);

        Assert.Equal(0, result.Advanced);
    }

    // An outside trial (traffic, 2026-12-06): three very active users failing on either arm landed on stable and kept an
    // equal canary "unclear" for ever (2 errors in 3,907 canary requests at [−0.105, +0.059] against max_increase 0.01):
    // the difference's interval cannot narrow past stable's spread. The canary's own rate bounds the difference (stable
    // is never below 0), so with the heavy users all on stable (0.75³ ≈ 42% of runs) the canary is shown safe; before,
    // in none. A canary with one of them stays undecided: its own rate then is not shown below the tolerance.
    [Fact]
    public void Classify_HeavyUsersFailingOnEitherArm_EqualCanaryShownSafeWhenTheyAreOnStable()
    {
        var result = Run(Scenario("h-aa"), runs: 60);

        Assert.Equal(0, result.RolledBack);
        Assert.True(result.Advanced >= 15, $"declared safe in {result.Advanced} of 60");
    }

    [Fact]
    public void Classify_HeavyUsersFailingOnEitherArm_HarmNeverDeclaredSafe()
    {
        var result = Run(Scenario("h-err"), runs: 60);

        Assert.Equal(0, result.Advanced);
    }

    // The canary-alone bound's worst cases: stable never fails (or always passes), so that bound and the difference's
    // interval test the same thing; a canary exactly at the tolerance is never declared safe here (the bench: 0 of
    // 2,000 and 0 of 1,000 runs).
    [Theory]
    [InlineData("r-edge")]
    [InlineData("p-edge")]
    public void Classify_CanaryExactlyAtTheToleranceAgainstAPerfectStable_NeverDeclaredSafe(string key)
    {
        var result = Run(Scenario(key), runs: 60);

        Assert.Equal(0, result.Advanced);
    }

    [Fact]
    public void Assess_CanaryWellInsideTheToleranceAgainstAStableOfHeavyFailingUsers_Safe()
    {
        // The trial's figures: the canary's 3,907 requests from 60 subjects with 2 errors; stable's from 61 quiet
        // subjects and 3 heavy ones failing half their requests.
        var rule = Judge.Policy.Rules.Single(r => r.Name == "error_rate");
        var canary = Arm(Enumerable.Range(0, 60).Select(g => (Requests: g < 7 ? 66 : 65, Errors: g < 2 ? 1 : 0)));
        var stable = Arm(Enumerable.Range(0, 64).Select(g => g < 3 ? (Requests: 1_500, Errors: 750) : (Requests: 65, Errors: 0)));

        var a = Judge.Assess(rule, canary.CapSubjects(), stable.CapSubjects());

        Assert.True(a.Upper < 0.01, $"[{a.Lower}, {a.Upper}]");
        Assert.Equal(MetricVerdict.Safe, a.Verdict);
    }

    // The trial's second run: rolled back as inconclusive with only "error_rate -0.0388 [-0.1175, +0.0470] … straddles
    // it", for a canary with 2 errors in 514 requests; a reader of history saw a failing canary. The reason now says
    // what the canary did on its own.
    [Fact]
    public void Decide_UnclearErrorRate_ReasonSaysTheCanarysOwnRate()
    {
        var judge = new Judge(Judge.Policy with { Rules = [.. Judge.Policy.Rules.Where(r => r.Name == "error_rate")] });
        var canary = Arm(Enumerable.Range(0, 40).Select(g => (Requests: g < 34 ? 13 : 12, Errors: g < 2 ? 1 : 0)));
        var stable = Arm(Enumerable.Range(0, 64).Select(g => g < 3 ? (Requests: 400, Errors: 120) : (Requests: 60, Errors: 0)));

        var decision = judge.Decide(canary, stable, TimeSpan.FromMinutes(1));

        Assert.Equal(JudgeOutcome.Continue, decision.Outcome);
        Assert.Contains("straddles it (the canary alone: 2 of 514, 0.39%)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SlowestTwoPercentTwiceAsSlow_CaughtInAtLeast90PercentByLatencyP99()
    {
        var result = Run(Scenario("t-2"), runs: 30);

        Assert.True(result.RolledBack >= 27, $"tail ×2 caught in {result.RolledBack} of 30");
        Assert.Equal(0, result.Advanced);
    }

    [Fact]
    public void Assess_NoErrorsIn220CanaryRequestsAgainstRareStableErrors_NotDeclaredSafe()
    {
        // The exact upper bound on the canary's rate after 0 of 220 is about 1.7% at 97.5%: it does not show ≤ 0.1% + 1%.
        var rule = Judge.Policy.Rules.Single(r => r.Name == "error_rate");
        var canary = new ArmSample { Requests = 220, Errors = 0 };
        var stable = new ArmSample { Requests = 200_000, Errors = 200 };

        var a = Judge.Assess(rule, canary, stable);

        Assert.NotEqual(MetricVerdict.Safe, a.Verdict);
        Assert.True(a.Upper > 0.01);
        Assert.True(a.Lower < -0.001 && a.Lower >= -1);
    }

    [Fact]
    public void Assess_NoErrorsInManyCanaryRequests_DeclaredSafeOnceTheBoundaryIsExcluded()
    {
        var rule = Judge.Policy.Rules.Single(r => r.Name == "error_rate");
        var canary = new ArmSample { Requests = 5000, Errors = 0 };
        var stable = new ArmSample { Requests = 200_000, Errors = 200 };

        Assert.Equal(MetricVerdict.Safe, Judge.Assess(rule, canary, stable).Verdict);
    }

    [Fact]
    public void Decide_FewEffectiveSubjectsOnTheCanary_NoVerdictEvenOnObviousHarm()
    {
        var judge = new Judge(JudgePolicy.From(new RolloutPlan { MinRequests = 10 }));
        var canary = Grouped(subjects: 5, requestsEach: 400, errorsEach: 200);
        var stable = Grouped(subjects: 64, requestsEach: 400, errorsEach: 0);

        var decision = judge.Decide(canary, stable, TimeSpan.FromMinutes(1));

        Assert.Equal(JudgeOutcome.Continue, decision.Outcome);
        Assert.All(decision.Evidence, e => Assert.Equal("not_enough_data", e.Verdict));
        Assert.Contains("fewer than min_subjects 20 effective subjects", decision.Reason);
        Assert.Equal(5, decision.CanarySubjects);
        Assert.Equal(5.0, decision.CanaryEffectiveSubjects);
    }

    [Fact]
    public void Decide_EnoughSubjectsAndHarm_RollsBack()
    {
        var judge = new Judge(JudgePolicy.From(new RolloutPlan { MinRequests = 10 }));
        var canary = Grouped(subjects: 40, requestsEach: 100, errorsEach: 30);
        var stable = Grouped(subjects: 64, requestsEach: 400, errorsEach: 4);

        var decision = judge.Decide(canary, stable, TimeSpan.FromMinutes(1));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        Assert.Contains("from ≥ 40 and ≥ 64 subjects", decision.Reason);
    }

    [Fact]
    public void EffectiveSubjects_OneSubjectWithMostRequests_CountsAsFew()
    {
        var sample = Grouped(subjects: 40, requestsEach: 10, errorsEach: 0);
        sample.Groups![0] = sample.Groups[0] with { Requests = 10_000 };

        Assert.Equal(40, sample.SubjectsAtLeast);
        Assert.InRange(sample.EffectiveSubjects, 1, 1.1);
    }

    [Fact]
    public void Decide_UnpricedReleaseOnBothArms_CostNotJudgedAndAdvances()
    {
        var plan = new RolloutPlan
        {
            MinRequests = 100,
            Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.05 }, ["cost_per_call"] = new() { MaxRatio = 1.15 } },
        };
        var judge = new Judge(JudgePolicy.From(plan));
        var canary = new ArmSample { Requests = 3000, LatencyCount = 3000 };
        var stable = new ArmSample { Requests = 3000, LatencyCount = 3000 };

        var decision = judge.Decide(canary, stable, TimeSpan.FromMinutes(1));

        Assert.Equal(JudgeOutcome.Advance, decision.Outcome);
        Assert.Equal("no_data", Assert.Single(decision.Evidence, e => e.Metric == "cost_per_call").Verdict);
    }

    [Fact]
    public void Assess_PassRatesFarApart_IntervalStaysWithinMinusOneAndOne()
    {
        var rule = MetricRule.From("online_pass_rate", new MetricTolerance { MaxDrop = 0.02 });
        var judge = new Judge(JudgePolicy.From(new RolloutPlan()) with { Rules = [rule] });
        var canary = new ArmSample { OnlineScored = 21, OnlinePassed = 0 };
        var stable = new ArmSample { OnlineScored = 21, OnlinePassed = 21 };

        var a = judge.Assess(rule, canary, stable);

        Assert.Equal(-1, a.Estimate, 9);
        Assert.True(a.Lower >= -1 && a.Upper <= 1, $"[{a.Lower}, {a.Upper}]");
    }

    [Fact]
    public void Assess_IdenticalOnlineScoresAtTwentyOne_IntervalHasWidth()
    {
        var rule = MetricRule.From("online_score", new MetricTolerance { MaxDrop = 0.03 });
        var judge = new Judge(JudgePolicy.From(new RolloutPlan()) with { Rules = [rule] });
        var arm = new ArmSample { OnlineScored = 21, OnlineScoreSum = 21, OnlineScoreSquares = 21 };

        var a = judge.Assess(rule, arm, arm);

        Assert.True(a.Upper - a.Lower > 0.01, $"[{a.Lower}, {a.Upper}]");
        Assert.NotEqual(MetricVerdict.Safe, a.Verdict);
    }

    [Fact]
    public void Assess_TailMetricWithoutAStableHistogram_NotEnoughData()
    {
        var rule = MetricRule.From("latency_p99", new MetricTolerance { MaxIncrease = 0.005 });
        var judge = new Judge(JudgePolicy.From(new RolloutPlan()) with { Rules = [rule] });
        var arm = new ArmSample { Requests = 1000, LatencyCount = 1000 };

        Assert.Equal(MetricVerdict.NotEnoughData, judge.Assess(rule, arm, arm).Verdict);
    }

    /// <summary>An arm of one subject per group with the given requests and errors (every request answered in 500 ms).</summary>
    private static ArmSample Arm(IEnumerable<(int Requests, int Errors)> subjects)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        var g = 0;
        foreach (var (requests, errors) in subjects)
        {
            groups[g++] = new ArmSample { Requests = requests, Errors = errors, LatencyCount = requests - errors, LogLatencySum = (requests - errors) * Math.Log(500) };
        }

        var total = default(ArmSample);
        foreach (var group in groups)
        {
            total = ArmSample.Add(total, group);
        }

        return total with { Groups = groups };
    }

    /// <summary>An arm whose requests come from <paramref name="subjects"/> subjects in distinct groups, each alike.</summary>
    private static ArmSample Grouped(int subjects, int requestsEach, int errorsEach)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        var log = Math.Log(500);
        for (var g = 0; g < subjects; g++)
        {
            var answered = requestsEach - errorsEach;
            groups[g] = new ArmSample
            {
                Requests = requestsEach,
                Errors = errorsEach,
                ProviderCalls = requestsEach,
                LatencyCount = answered,
                LogLatencySum = answered * (log + (0.01 * (g % 3))),
                LogLatencySquares = answered * (log + (0.01 * (g % 3))) * (log + (0.01 * (g % 3))),
            };
        }

        var total = default(ArmSample);
        foreach (var g in groups)
        {
            total = ArmSample.Add(total, g);
        }

        return total with { Groups = groups };
    }
}
