using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Trial netfalse M1: an honest A/A canary whose users' error rates differed was held and rolled back by its deadline four
/// times with "straddles it" and nothing on why. When the subjects' spread alone keeps the interval across the tolerance,
/// the reason of the hold (and of the deadline) now says so and what to change.
/// </summary>
public sealed class JudgeStalledTests
{
    private static readonly RolloutPlan Plan = new()
    {
        Steps = [50, 100],
        MinRequests = 200,
        MinSubjects = 12,
        MaxDuration = TimeSpan.FromMinutes(4),
        OnInconclusive = "hold",
        MaxHold = TimeSpan.FromMinutes(1),
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.02 } },
    };

    // Splits that hold (in some, e.g. seed 102, the heaviest failing users land on stable and the canary is shown safe; in
    // others, e.g. seed 103, on the canary, below).
    [Theory]
    [InlineData(101)]
    [InlineData(104)]
    [InlineData(107)]
    public void Decide_AaStepOfUsersWhoseErrorRatesDiffer_HoldAndDeadlineSayTheSubjectsBoundIt(int seed)
    {
        // The trial's config A: one user in ten fails 10 points more of its requests, on both arms alike.
        var ((canary, stable), _) = new SubjectPopulation(300, 0.015, 0.1, 0.1, seed: 7).Step(12_000, 0.5, seed);
        var judge = new Judge(JudgePolicy.From(Plan));

        var hold = judge.Decide(canary, stable, TimeSpan.FromMinutes(4));
        var deadline = judge.Decide(canary, stable, TimeSpan.FromMinutes(5));

        Assert.Equal(JudgeOutcome.Hold, hold.Outcome);
        Assert.Contains("error_rate has stopped narrowing: its subjects' error rates differ beyond chance, so the subjects, not the requests, bound the interval (about ±0.0", hold.Reason, StringComparison.Ordinal);
        Assert.Matches(@"waiting will not decide it — widen max_increase beyond about 0\.0[234]\d? at the least \(where this interval stops: a tolerance that close is met only slowly, so expect another hold; glidepath rollout plan names the larger one a step meets within max_duration\), or decide by hand", hold.Reason);
        Assert.Equal(JudgeOutcome.RollBack, deadline.Outcome);
        Assert.StartsWith("deadline: ", deadline.Reason, StringComparison.Ordinal);
        Assert.Contains("error_rate has stopped narrowing", deadline.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped narrowing", judge.Decide(canary, stable, TimeSpan.FromMinutes(1)).Reason, StringComparison.Ordinal);
    }

    // The cost of the rule below, on honest traffic: an A/A split that puts heavy buggy users on the canary reads beyond the
    // tolerance per request (in 28 of 200 seeded holds of this shape), and is then told to look at them, not to widen.
    [Fact]
    public void Decide_AaStepWhoseHeaviestBuggyUsersLandOnTheCanary_AdvisesLookingAtThemNotAWiderTolerance()
    {
        var ((canary, stable), _) = new SubjectPopulation(300, 0.015, 0.1, 0.1, seed: 7).Step(12_000, 0.5, 103);
        var judge = new Judge(JudgePolicy.From(Plan));

        var hold = judge.Decide(canary, stable, TimeSpan.FromMinutes(4));

        Assert.Equal(JudgeOutcome.Hold, hold.Outcome);
        Assert.Contains("error_rate per request is beyond max_increase 0.02 on the canary", hold.Reason, StringComparison.Ordinal);
        Assert.Contains("or callers who fare as badly on any release", hold.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("widen", hold.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AaStepOfAlikeUsersTooShortToDecide_HoldSaysNothingOfSubjects()
    {
        // The same users with one error rate, 400 canary requests: undecided for want of requests, which more of would decide it.
        var ((canary, stable), _) = new SubjectPopulation(300, 0.015, 0, 0, seed: 7).Step(800, 0.5, 101);
        var judge = new Judge(JudgePolicy.From(Plan));

        var hold = judge.Decide(canary, stable, TimeSpan.FromMinutes(4));

        Assert.Equal(JudgeOutcome.Hold, hold.Outcome);
        Assert.Contains("error_rate", hold.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped narrowing", hold.Reason, StringComparison.Ordinal);
    }
    /// <summary>An arm of <paramref name="light"/> groups of 100 requests failing 2 each, and heavy groups of 1,500 failing <paramref name="heavyErrors"/> each.</summary>
    private static ArmSample Arm(int light, int heavy, long heavyErrors)
    {
        var groups = Enumerable.Range(0, light).Select(_ => new ArmSample { Requests = 100, Errors = 2, LatencyCount = 98 })
            .Concat(Enumerable.Range(0, heavy).Select(_ => new ArmSample { Requests = 1500, Errors = heavyErrors, LatencyCount = 1500 - heavyErrors }))
            .ToArray();
        var (requests, errors) = (groups.Sum(g => g.Requests), groups.Sum(g => g.Errors));
        return new ArmSample { Requests = requests, Errors = errors, LatencyCount = requests - errors, Groups = groups };
    }

    [Fact]
    public void Decide_CanaryWorseOnlyForTheHeaviestSubjects_HoldSaysSoAndAdvisesNoWiderToleranceNorPromotion()
    {
        // Trial netfalse2 M1: the two heaviest canary groups fail 10%, everyone else 2% on both arms: +0.0133 judged after
        // the cap (each heavy group weighs three median groups), +0.04 per request against max_increase 0.02.
        var (canary, stable) = (Arm(30, 2, 150), Arm(30, 2, 30));
        var judge = new Judge(JudgePolicy.From(Plan));

        var hold = judge.Decide(canary, stable, TimeSpan.FromMinutes(4));
        var deadline = judge.Decide(canary, stable, TimeSpan.FromMinutes(5));

        Assert.Equal(JudgeOutcome.Hold, hold.Outcome);
        Assert.Equal("unclear", hold.Evidence[0].Verdict);
        Assert.Contains(
            "error_rate per request is beyond max_increase 0.02 on the canary (+0.0400 before the cap of heavy subjects): its heaviest subjects fare worse on it, and the cap "
            + "(each subject group weighs at most three median groups) counts them as few, so the judged estimate lies inside — a harm to those callers, or callers who fare as badly on any release "
            + "(sticky subjects put different ones on each arm); either way neither a wider tolerance nor a promotion is the remedy: "
            + "look at the heaviest callers' traces (glidepath traces list --release <the canary's release>) and decide by hand (glidepath rollback ends it)",
            hold.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("widen", hold.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("promote advances", hold.Reason, StringComparison.Ordinal);
        Assert.Equal(JudgeOutcome.RollBack, deadline.Outcome);
        Assert.Contains("error_rate per request is beyond", deadline.Reason, StringComparison.Ordinal);
        Assert.True(HoldWarning.Warns(hold.Evidence));
    }
}
