using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Issue 13 item 9: one caller pinning a sticky key and flooding an arm must not move a verdict. Both attacks the
/// report replayed, on samples built request by request into subject groups (deterministic, no randomness).
/// </summary>
public sealed class JudgeSubjectCapTests
{
    // min_subjects 1: the cap alone must hold (with the default 20, Kish's effective subjects also stall the flood).
    private static readonly Judge Judge = new(JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        MinSubjects = 1,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.02 } },
    }));

    private static readonly Judge DefaultSubjects = new(Judge.Policy with { MinSubjects = 20 });

    private static MetricRule ErrorRate => Judge.Policy.Rules.Single(r => r.Name == "error_rate");

    [Fact]
    public void Decide_FloodOfFailingRequestsPinnedToAHealthyCanary_DoesNotRollBack()
    {
        var canary = Honest(requestsPerGroup: 8, errorEvery: 100);
        var stable = Honest(requestsPerGroup: 80, errorEvery: 100);
        var attacked = Flood(canary, group: 3, requests: 360, errors: 360);

        var before = Judge.Decide(canary, stable, TimeSpan.FromMinutes(5));
        var after = Judge.Decide(attacked, stable, TimeSpan.FromMinutes(5));

        Assert.NotEqual(JudgeOutcome.RollBack, after.Outcome);
        Assert.Equal(before.Outcome, after.Outcome);
        Assert.Equal(before.Outcome, DefaultSubjects.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void Decide_FloodOfFailingRequestsPinnedToStable_StillRollsBackAFailingCanary()
    {
        var canary = Honest(requestsPerGroup: 20, errorEvery: 3.45);  // about 29% of requests fail
        var stable = Honest(requestsPerGroup: 40, errorEvery: 100);
        var attacked = Flood(stable, group: 7, requests: 3000, errors: 3000);

        var before = Judge.Decide(canary, stable, TimeSpan.FromMinutes(5));
        var after = Judge.Decide(canary, attacked, TimeSpan.FromMinutes(5));

        // Without the cap the flood hides the harm: the uncapped interval straddles the tolerance and the step waits.
        Assert.Equal(MetricVerdict.Unclear, Judge.Assess(ErrorRate, canary, attacked).Verdict);
        Assert.Equal(JudgeOutcome.RollBack, before.Outcome);
        Assert.Equal(JudgeOutcome.RollBack, after.Outcome);
        Assert.Equal(JudgeOutcome.RollBack, DefaultSubjects.Decide(canary, attacked, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void Decide_FloodOfNegativeVotesOnOneCanaryTrace_DoesNotRollBack()
    {
        // The attack a trial replayed on a live gateway: 70 honest votes per arm, then one canary request and 2,000
        // votes of -1 on its trace. At most one vote per request counts in a subject group.
        var judge = new Judge(JudgePolicy.From(new RolloutPlan
        {
            MinRequests = 10,
            MinSubjects = 1,
            Metrics = new Dictionary<string, MetricTolerance> { ["feedback"] = new() { MaxDrop = 0.05 } },
        }));
        var canary = Voted(Honest(requestsPerGroup: 2, errorEvery: 1000), votesPerGroup: 1, positiveEvery: 1);
        var stable = Voted(Honest(requestsPerGroup: 2, errorEvery: 1000), votesPerGroup: 1, positiveEvery: 1);
        var groups = (ArmSample[])canary.Groups!.Clone();
        groups[5] = ArmSample.Add(groups[5], new ArmSample { Requests = 1, FeedbackCount = 2000, FeedbackPositive = 0 });
        var attacked = Total(groups);

        var capped = attacked.CapSubjects();
        Assert.Equal(groups[5].Requests, capped.Groups![5].FeedbackCount);
        Assert.True(capped.FeedbackCount <= capped.Requests);
        Assert.NotEqual(JudgeOutcome.RollBack, judge.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
        Assert.Equal(judge.Decide(canary, stable, TimeSpan.FromMinutes(5)).Outcome, judge.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void CapSubjects_MoreVotesThanRequests_KeepsTheGroupsPositiveShare()
    {
        var sample = Voted(Honest(requestsPerGroup: 10, errorEvery: 1000), votesPerGroup: 1, positiveEvery: 1);
        var groups = (ArmSample[])sample.Groups!.Clone();
        groups[0] = groups[0] with { FeedbackCount = 40, FeedbackPositive = 30 };

        var capped = Total(groups).CapSubjects().Groups![0];

        Assert.Equal(10, capped.FeedbackCount);
        Assert.Equal(8, capped.FeedbackPositive); // 30 of 40, scaled to 10 votes: 7.5, rounded away from zero
    }

    [Fact]
    public void CapSubjects_NoGroupOverTheCap_ReturnsTheSameSample()
    {
        var sample = Honest(requestsPerGroup: 10, errorEvery: 50);

        var capped = sample.CapSubjects();

        Assert.Same(sample.Groups, capped.Groups);
        Assert.Equal(sample.Requests, capped.Requests);
    }

    [Fact]
    public void CapSubjects_OneHeavyGroup_ScaledToThreeMediansKeepingItsRates()
    {
        var sample = Flood(Honest(requestsPerGroup: 10, errorEvery: 1000), group: 0, requests: 990, errors: 500);

        var capped = sample.CapSubjects();
        var heavy = capped.Groups![0];

        Assert.Equal(30, heavy.Requests);
        Assert.Equal(15, heavy.Errors);
        Assert.Equal(heavy.LatencyCount, heavy.LatencyHistogram!.Sum());
        Assert.Equal(sample.Requests - 1000 + 30, capped.Requests);
        Assert.Equal(capped.Groups.Sum(g => g.Errors), capped.Errors);
    }

    [Fact]
    public void CapSubjects_SparseGroups_NeverScalesBelowTheFloor()
    {
        var sample = Flood(Honest(requestsPerGroup: 1, errorEvery: 1000), group: 0, requests: 3, errors: 0);

        Assert.Equal(4, sample.CapSubjects().Groups![0].Requests);
    }

    /// <summary>64 groups of equal traffic; every <paramref name="errorEvery"/>-th request of the arm fails.</summary>
    private static ArmSample Honest(int requestsPerGroup, double errorEvery)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        var n = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            for (var i = 0; i < requestsPerGroup; i++)
            {
                n++;
                var fails = Math.Floor(n / errorEvery) > Math.Floor((n - 1) / errorEvery);
                groups[g] = Add(groups[g], fails, latencyMs: 400 + (37 * ((n * 7) % 11)));
            }
        }

        return Total(groups);
    }

    /// <summary>The same sample with <paramref name="votesPerGroup"/> votes in every group, every <paramref name="positiveEvery"/>-th positive.</summary>
    private static ArmSample Voted(ArmSample sample, int votesPerGroup, int positiveEvery)
    {
        var groups = (ArmSample[])sample.Groups!.Clone();
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = groups[g] with { FeedbackCount = votesPerGroup, FeedbackPositive = Enumerable.Range(1, votesPerGroup).Count(i => i % positiveEvery == 0) };
        }

        return Total(groups);
    }

    /// <summary>The same sample with one subject's extra requests in <paramref name="group"/>.</summary>
    private static ArmSample Flood(ArmSample sample, int group, int requests, int errors)
    {
        var groups = (ArmSample[])sample.Groups!.Clone();
        for (var i = 0; i < requests; i++)
        {
            groups[group] = Add(groups[group], i < errors, latencyMs: 350);
        }

        return Total(groups);
    }

    private static ArmSample Add(ArmSample g, bool fails, double latencyMs)
    {
        var one = fails
            ? new ArmSample { Requests = 1, Errors = 1 }
            : new ArmSample
            {
                Requests = 1,
                LatencyCount = 1,
                LogLatencySum = Math.Log(latencyMs),
                LogLatencySquares = Math.Log(latencyMs) * Math.Log(latencyMs),
                LatencyHistogram = Bucket(latencyMs),
            };
        return ArmSample.Add(g, one);
    }

    private static long[] Bucket(double latencyMs)
    {
        var h = new long[LatencyBuckets.UpperBoundsMs.Count];
        h[LatencyBuckets.IndexOf(latencyMs)] = 1;
        return h;
    }

    private static ArmSample Total(ArmSample[] groups)
    {
        var total = default(ArmSample);
        foreach (var g in groups)
        {
            total = ArmSample.Add(total, g);
        }

        return total with { Groups = groups };
    }
}
