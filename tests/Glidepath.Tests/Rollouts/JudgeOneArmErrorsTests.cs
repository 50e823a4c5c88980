using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Errors a caller's request alone can cause on one arm (refusals of the request, timeouts) in <c>error_rate</c>: a
/// canary is charged in full for more of them than stable and credited for fewer only within chance (two standard
/// errors). Outside trials attacker2 and "today": requests only stable's provider rejects or times out on hid a canary
/// failing 12% of every other caller's requests, which was promoted.
/// </summary>
public sealed class JudgeOneArmErrorsTests
{
    private static readonly Judge Judge = new(JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        MinSubjects = 20,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 } },
    }));

    private static MetricRule ErrorRate => Judge.Policy.Rules.Single(r => r.Name == "error_rate");

    /// <summary>An arm of 64 equally active subject groups with the given totals spread evenly over them.</summary>
    private static ArmSample Arm(int requests, int otherErrors, int oneArmErrors)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        for (var g = 0; g < groups.Length; g++)
        {
            long Share(int total) => (total / groups.Length) + (g < total % groups.Length ? 1 : 0);
            var n = Share(requests);
            var oneArm = Share(oneArmErrors);
            var errors = Share(otherErrors) + oneArm;
            groups[g] = new ArmSample { Requests = n, Errors = errors, OneArmErrors = oneArm, LatencyCount = n - errors, LogLatencySum = (n - errors) * Math.Log(500) };
        }

        var total = default(ArmSample);
        foreach (var group in groups)
        {
            total = ArmSample.Add(total, group);
        }

        return total with { Groups = groups };
    }

    [Fact]
    public void Decide_StableInflatedByOneCallersTimeouts_TheCanarysOwnErrorsRollItBack()
    {
        // The trial's figures: a canary failing 12% of requests; stable fails 1% and times out on one key's 11%.
        var canary = Arm(400, otherErrors: 48, oneArmErrors: 0);
        var stable = Arm(9_000, otherErrors: 90, oneArmErrors: 990);

        var decision = Judge.Decide(canary, stable, TimeSpan.FromMinutes(1));
        var before = Judge.Decide(canary, stable with { OneArmErrors = 0, Groups = [.. stable.Groups!.Select(g => g with { OneArmErrors = 0 })] }, TimeSpan.FromMinutes(1));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        Assert.NotEqual(JudgeOutcome.RollBack, before.Outcome);
        var evidence = Assert.Single(decision.Evidence);
        Assert.Equal("harm", evidence.Verdict);
        Assert.True(evidence.OneArmUncredited > 0.09, $"uncredited {evidence.OneArmUncredited}");
        Assert.Contains("error_rate: refusals of the request and timeouts were 0.11 of stable's requests and 0 of the canary's; +0.", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("of stable's lead is beyond chance and not credited to the canary", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_StablesUncreditedRefusalsInAFewSubjects_DoNotWidenTheIntervalOverTheCanarysOwnRise()
    {
        // Outside trial ops2 (the drift monitor judges today against yesterday with this judge): one caller's requests,
        // in 5 subjects, were refused on 8% of yesterday's requests; today 3% more of everyone's fail with a 500. The
        // refusals were not credited, but their variance stayed in the interval (the trial: +0.0302 [−0.0948, +0.0689]), unclear,
        // no alert. Taken out with them, today's rise is harm.
        var stable = Grouped(SubjectGroups.Count, g => g < 5 ? (230, 1, 160) : (150, 1, 0));
        var canary = Grouped(SubjectGroups.Count, _ => (100, 4, 0));

        var decision = Judge.Decide(canary, stable, TimeSpan.FromMinutes(1));

        var evidence = Assert.Single(decision.Evidence);
        Assert.True(evidence.OneArmUncredited > 0.07, $"uncredited {evidence.OneArmUncredited}");
        Assert.Equal("harm", evidence.Verdict);
        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
    }

    /// <summary>An arm of <paramref name="count"/> subject groups, each with (requests, other errors, one-arm errors) from <paramref name="group"/>.</summary>
    private static ArmSample Grouped(int count, Func<int, (int Requests, int OtherErrors, int OneArmErrors)> group)
    {
        var groups = new ArmSample[count];
        var total = default(ArmSample);
        for (var g = 0; g < count; g++)
        {
            var (n, other, oneArm) = group(g);
            var errors = other + oneArm;
            groups[g] = new ArmSample { Requests = n, Errors = errors, OneArmErrors = oneArm, LatencyCount = n - errors, LogLatencySum = (n - errors) * Math.Log(500) };
            total = ArmSample.Add(total, groups[g]);
        }

        return total with { Groups = groups };
    }

    [Fact]
    public void Assess_OneArmErrorsAlikeOnBothArms_EstimateIsTheWholeDifference()
    {
        var canary = Arm(4_000, otherErrors: 40, oneArmErrors: 120);
        var stable = Arm(40_000, otherErrors: 400, oneArmErrors: 1_260);

        var a = Judge.Assess(ErrorRate, canary, stable);

        Assert.Equal((160.0 / 4_000) - (1_660.0 / 40_000), a.Estimate, 12);
        Assert.Null(Assert.Single(Judge.Decide(canary, stable, TimeSpan.Zero).Evidence).OneArmUncredited);
    }

    [Fact]
    public void Assess_CanaryWithMoreOneArmErrors_ChargedInFull()
    {
        var canary = Arm(4_000, otherErrors: 40, oneArmErrors: 400);
        var stable = Arm(40_000, otherErrors: 400, oneArmErrors: 0);

        var a = Judge.Assess(ErrorRate, canary, stable);

        Assert.Equal((440.0 / 4_000) - (400.0 / 40_000), a.Estimate, 12);
        Assert.Equal(MetricVerdict.Harm, a.Verdict);
    }

    [Fact]
    public void Assess_StablesLeadWithinChance_Credited()
    {
        // 1.5% against 1.2% one-arm errors on 4,000 and 40,000 requests: a lead of 0.003, under two standard errors (0.0040).
        var canary = Arm(4_000, otherErrors: 40, oneArmErrors: 48);
        var stable = Arm(40_000, otherErrors: 400, oneArmErrors: 600);

        Assert.Equal(0, Judge.OneArmUncredited(ErrorRate, canary, stable));
        Assert.Equal((88.0 / 4_000) - (1_000.0 / 40_000), Judge.Assess(ErrorRate, canary, stable).Estimate, 12);
    }

    [Fact]
    public void Assess_CanaryThatAcceptsWhatStableRefused_JudgedOnItsOtherErrors()
    {
        // A new model that accepts the 5% stable refused, other errors alike: no credit beyond chance, and safe on its own.
        var canary = Arm(20_000, otherErrors: 200, oneArmErrors: 0);
        var stable = Arm(200_000, otherErrors: 2_000, oneArmErrors: 10_000);

        var a = Judge.Assess(ErrorRate, canary, stable);

        var se = Math.Sqrt((0.5 / 20_001 * (1 - (0.5 / 20_001)) / 20_000) + (10_000.5 / 200_001 * (1 - (10_000.5 / 200_001)) / 200_000));
        Assert.Equal(-2 * se, a.Estimate, 9);
        Assert.Equal(MetricVerdict.Safe, a.Verdict);
    }

    [Fact]
    public void OneArmUncredited_OtherMetrics_Zero()
    {
        var canary = Arm(400, otherErrors: 0, oneArmErrors: 0);
        var stable = Arm(9_000, otherErrors: 0, oneArmErrors: 990);
        var retry = JudgePolicy.From(new RolloutPlan()).Rules.Single(r => r.Name == "retry_rate");

        Assert.Equal(0, Judge.OneArmUncredited(retry, canary, stable));
        Assert.True(Judge.OneArmUncredited(ErrorRate, canary, stable) > 0.09);
    }
}
