using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

public sealed class RolloutJsonTests
{
    [Fact]
    public void ReadBaseline_SampleWithGroupsAndHistogram_RoundTripsEverySum()
    {
        var groups = new ArmSample[SubjectGroups.Count];
        groups[3] = new ArmSample { Requests = 5, Errors = 1, LatencyCount = 4, LatencyHistogram = [0, 2, 2] };
        groups[40] = new ArmSample { Requests = 2, LatencyCount = 2, LatencyHistogram = [1, 1, 0] };
        var canary = new ArmSample { Requests = 7, Errors = 1, LatencyCount = 6, LatencyHistogram = [1, 3, 2], Groups = groups };

        var (read, _) = RolloutJson.ReadBaseline(RolloutJson.Baseline(canary, default));

        Assert.Equal((7L, 1L, 6L), (read.Requests, read.Errors, read.LatencyCount));
        Assert.Equal([1L, 3, 2], read.LatencyHistogram!);
        Assert.Equal(2, read.SubjectsAtLeast);
        Assert.Equal(5, read.Groups![3].Requests);
        Assert.Equal([1L, 1, 0], read.Groups[40].LatencyHistogram!);
        Assert.DoesNotContain("subjects_at_least", RolloutJson.Baseline(canary, default), StringComparison.Ordinal);
    }

    [Fact]
    public void Minus_BaselineWithoutGroups_StepKeepsTheCurrentGroups()
    {
        // A step baseline stored before subject groups existed: the step's totals are right, its groups are the cumulative ones.
        var groups = new ArmSample[SubjectGroups.Count];
        groups[0] = new ArmSample { Requests = 10 };
        var current = new ArmSample { Requests = 10, Groups = groups };

        var step = current.Minus(new ArmSample { Requests = 4 });

        Assert.Equal(6, step.Requests);
        Assert.Equal(10, step.Groups![0].Requests);
    }
}
