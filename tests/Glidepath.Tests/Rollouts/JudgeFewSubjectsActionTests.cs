using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>Trial newcomer3 M1: a step held for too few effective subjects said so, but not what to do about it.</summary>
public sealed class JudgeFewSubjectsActionTests
{
    private static ArmSample Grouped(int subjects, int requestsEach)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        for (var g = 0; g < subjects; g++)
        {
            groups[g] = new ArmSample { Requests = requestsEach, ProviderCalls = requestsEach, LatencyCount = requestsEach, LogLatencySum = requestsEach * 6.2, LogLatencySquares = requestsEach * 6.2 * 6.2 };
        }

        var total = default(ArmSample);
        foreach (var g in groups)
        {
            total = ArmSample.Add(total, g);
        }

        return total with { Groups = groups };
    }

    [Theory]
    [InlineData("hold", JudgeOutcome.Hold)]
    [InlineData("rollback", JudgeOutcome.RollBack)]
    public void Decide_PastTheLimitWithFewCanarySubjects_ReasonSaysWhatToDo(string onInconclusive, JudgeOutcome expected)
    {
        var judge = new Judge(JudgePolicy.From(new RolloutPlan { MinRequests = 60, MaxDuration = TimeSpan.FromMinutes(5), OnInconclusive = onInconclusive }));

        var decision = judge.Decide(Grouped(subjects: 12, requestsEach: 30), Grouped(subjects: 64, requestsEach: 60), TimeSpan.FromMinutes(6));

        Assert.Equal(expected, decision.Outcome);
        Assert.Contains("fewer than min_subjects 20 effective subjects on an arm (canary 12, stable 64)", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("an arm's subjects level off at its weight, so next: abort and start again at a larger first step (glidepath rollout plan shows each step's subjects), or lower rollout.step.min_subjects in the manifest", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WithinTheLimit_CollectingWithoutAdvice()
    {
        var judge = new Judge(JudgePolicy.From(new RolloutPlan { MinRequests = 60, MaxDuration = TimeSpan.FromMinutes(5) }));

        var decision = judge.Decide(Grouped(subjects: 12, requestsEach: 30), Grouped(subjects: 64, requestsEach: 60), TimeSpan.FromMinutes(1));

        Assert.Equal(JudgeOutcome.Continue, decision.Outcome);
        Assert.Contains("fewer than min_subjects 20", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("next:", decision.Reason, StringComparison.Ordinal);
    }
}
