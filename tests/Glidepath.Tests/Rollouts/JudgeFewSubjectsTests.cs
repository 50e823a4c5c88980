using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// The judge's small-sample correction (Judge.Cluster.cs): a variance over few subject groups is itself uncertain, so its
/// bounds are Student t ones. Found by the canary mirror task's simulation (2026-12-07): 40 sticky subjects whose own
/// cost or latency levels differ, half on the canary, <c>min_subjects: 5</c>, the canary exactly at the tolerance, were
/// rolled back in 11–15 of 2,000 runs (α/2 = 10) with every variance taken as known (docs/benchmarks.md has the runs;
/// a test of them would take minutes). Deterministic arms here.
/// </summary>
public sealed class JudgeFewSubjectsTests
{
    private static readonly Judge Latency = new(JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        MinSubjects = 5,
        Metrics = new Dictionary<string, MetricTolerance> { ["latency"] = new() { MaxRatio = 1.25 } },
    }));

    /// <summary>
    /// An arm of <paramref name="subjects"/> equally active subjects (one a group), 60 answered requests each, whose own
    /// mean log latencies lie ±0.35 around ln 500 + <paramref name="shift"/> (a within-subject sd of 0.3): subjects that
    /// differ, so the arm's variance is the cluster-robust one.
    /// </summary>
    private static ArmSample Arm(int subjects, double shift)
    {
        const int Each = 60;
        var groups = new ArmSample[Math.Max(subjects, SubjectGroups.Count)];
        for (var g = 0; g < groups.Length; g++)
        {
            if (g >= subjects)
            {
                groups[g] = default;
                continue;
            }

            var mean = Math.Log(500) + shift + (0.35 * (((g % 5) - 2) / 2.0));
            groups[g] = new ArmSample
            {
                Requests = Each,
                ProviderCalls = Each,
                LatencyCount = Each,
                LogLatencySum = Each * mean,
                LogLatencySquares = Each * ((mean * mean) + 0.09),
            };
        }

        return JudgeSubjectCapTests.Total(groups);
    }

    /// <summary>The smallest shift (on the log scale, by 0.005) at which <paramref name="judge"/> declares harm.</summary>
    private static double FirstHarm(Judge judge, int subjects)
    {
        var rule = judge.Policy.Rules.Single();
        for (var shift = 0.0; shift < 3; shift += 0.005)
        {
            if (judge.Assess(rule, Arm(subjects, shift), Arm(subjects, 0)).Verdict == MetricVerdict.Harm)
            {
                return shift;
            }
        }

        return double.PositiveInfinity;
    }

    // With 10 subjects an arm, the known-variance bound declared harm on shifts the Student t bound (df about 9 an arm,
    // about 18 together) does not; with 60 an arm (groups hold one subject each up to 64) the two all but agree.
    [Fact]
    public void Assess_TenSubjectsAnArmThatDiffer_HarmNeedsALargerShiftThanWithTheVarianceTakenAsKnown()
    {
        var known = new Judge(Latency.Policy with { KnownVariance = true });

        var few = (Shipped: FirstHarm(Latency, 10), Known: FirstHarm(known, 10));
        var many = (Shipped: FirstHarm(Latency, 60), Known: FirstHarm(known, 60));

        Assert.True(few.Known < few.Shipped - 0.05, $"10 subjects: harm from a shift of {few.Known} (known) and {few.Shipped} (t)");
        Assert.True(many.Shipped - many.Known <= 0.02, $"60 subjects: harm from {many.Known} (known) and {many.Shipped} (t)");
        // Between the two, the known-variance bound calls harm and the t bound keeps it unclear.
        var between = Latency.Assess(Latency.Policy.Rules.Single(), Arm(10, few.Known), Arm(10, 0));
        Assert.Equal(MetricVerdict.Unclear, between.Verdict);
    }

    /// <summary>An arm of one subject a group: <paramref name="requests"/>[g] requests, <paramref name="errors"/>[g] of them failed.</summary>
    private static ArmSample Errors(int[] requests, int[] errors)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        for (var g = 0; g < requests.Length; g++)
        {
            groups[g] = new ArmSample { Requests = requests[g], Errors = errors[g], ProviderCalls = requests[g], LatencyCount = requests[g] - errors[g] };
        }

        return JudgeSubjectCapTests.Total(groups);
    }

    // A review of the first version (reviewss M1): the safe side borrowed the harm side's degrees of freedom. A canary of
    // 6 subjects whose 3 errors all sit in one subject, against 60 stable subjects with errors spread evenly: the harm
    // side's variance is mostly stable's per-request one (about 88 df), the safe side's mostly the canary's at the
    // tolerance, which rests on its 6 subjects (about 8). It was declared safe on the first; on its own it is unclear.
    [Fact]
    public void Assess_CanaryErrorsInOneOfSixSubjects_SafeSideAtItsOwnDegreesOfFreedom_NotSafe()
    {
        var judge = new Judge(JudgePolicy.From(new RolloutPlan
        {
            MinRequests = 200,
            MinSubjects = 5,
            Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.02 } },
        }));
        var rule = judge.Policy.Rules.Single();
        var canary = Errors([100, 100, 100, 100, 100, 100], [3, 0, 0, 0, 0, 0]);
        var stable = Errors([.. Enumerable.Repeat(10, 60)], [.. Enumerable.Range(0, 60).Select(g => g % 2)]);

        var shipped = judge.Assess(rule, canary, stable);
        var known = new Judge(judge.Policy with { KnownVariance = true }).Assess(rule, canary, stable);

        Assert.Equal(MetricVerdict.Safe, known.Verdict);
        Assert.NotEqual(MetricVerdict.Safe, shipped.Verdict);
        Assert.True(shipped.Upper > rule.Threshold, $"upper {shipped.Upper} (known variance: {known.Upper})");
    }
}
