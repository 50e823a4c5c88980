namespace Glidepath.Rollouts;

public static partial class SubjectReach
{
    /// <summary>
    /// The subjects the day's requests per group imply, as <see cref="Estimate"/> splits them (see the remarks of
    /// <see cref="SubjectReach"/>): for each group, its light subjects, their requests each, and the requests of one heavy
    /// subject (0 when the group has none).
    /// </summary>
    /// <remarks>
    /// Light groups are those at or under the judge's cap on the day's groups (<see cref="ArmSample.SubjectWeightCap"/> ×
    /// the median group that saw any, at least <see cref="ArmSample.SubjectWeightFloor"/>), empty ones included. Subjects
    /// fall in groups by a uniform hash, so a light group's count is a sum over a Poisson number of subjects, whose
    /// variance over mean is Σ rᵢ² / Σ rᵢ over those subjects: the requests e of an equally active light subject, and
    /// mean / e light subjects a group. A light group g holds max(1, round(nᵍ / e)) subjects of nᵍ/kᵍ requests; a group
    /// over the cap holds the light groups' round(mean / e) light subjects of e requests each plus one heavy subject
    /// with the rest. The heavy subjects seen in the few groups over the cap no longer set how many subjects every light
    /// group holds, as they did when one N² / R spread over all groups (an outside trial, 200 Zipf users: a 50% step
    /// estimated at 16.4 effective subjects measured 27–31). Subjects too light to move a group's count stay unseen, so
    /// with many such users the estimate stays low (docs/benchmarks.md, "Subjects a step reaches").
    /// </remarks>
    internal static (long Light, double Each, double Heavy)[] HeavyTailedPopulation(IReadOnlyList<long> groupRequests)
    {
        var counts = groupRequests.Select(g => (double)Math.Max(g, 0)).ToArray();
        var seen = counts.Where(c => c > 0).Order().ToArray();
        var median = seen.Length == 0 ? 0 : seen.Length % 2 == 1 ? seen[seen.Length / 2] : (seen[(seen.Length / 2) - 1] + seen[seen.Length / 2]) / 2;
        var cap = Math.Max(ArmSample.SubjectWeightCap * median, ArmSample.SubjectWeightFloor);
        var light = counts.Where(c => c <= cap).ToArray();
        var mean = light.Length > 0 ? light.Average() : 0;
        var variance = light.Length > 1 ? light.Sum(c => (c - mean) * (c - mean)) / (light.Length - 1) : mean;
        var each = mean > 0 ? Math.Max(1, variance / mean) : 1;
        var perGroup = (long)Math.Round(mean / each, MidpointRounding.AwayFromZero);
        var population = new (long Light, double Each, double Heavy)[counts.Length];
        for (var g = 0; g < counts.Length; g++)
        {
            var n = counts[g];
            if (n <= 0)
            {
                continue;
            }

            if (n <= cap)
            {
                var k = Math.Max(1L, (long)Math.Round(n / each, MidpointRounding.AwayFromZero));
                population[g] = (k, n / k, 0);
            }
            else
            {
                // A heavy group holds more than the light groups' mean, so its light part always leaves a heavy subject.
                var k = Math.Min(perGroup, (long)Math.Floor((n - 1) / each));
                population[g] = (k, each, n - (k * each));
            }
        }

        return population;
    }
}
