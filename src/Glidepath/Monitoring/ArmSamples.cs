using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Monitoring;

/// <summary>Folds trace aggregates into one sample per release, whichever arm served the requests.</summary>
public static class ArmSamples
{
    public static ArmSample Add(in ArmSample a, in ArmSample b) => ArmSample.Add(a, b);

    /// <summary>The sum over every arm of <paramref name="releaseId"/>.</summary>
    public static ArmSample ForRelease(IEnumerable<ArmStats> stats, string releaseId)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var sum = default(ArmSample);
        foreach (var s in stats)
        {
            if (s.ReleaseId == releaseId)
            {
                sum = Add(sum, ArmSample.From(s));
            }
        }

        return sum;
    }
}
