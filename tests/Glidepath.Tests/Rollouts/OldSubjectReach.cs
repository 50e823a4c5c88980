using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// <see cref="SubjectReach.Estimate"/> as it was until 2026-12-08, kept only so the simulation can compare: S = N² / R
/// equally active subjects over the day, kᵍ = max(1, round(nᵍ·S/N)) of them in group g, split as the estimate splits them.
/// </summary>
internal static class OldSubjectReach
{
    public static SubjectReachEstimate Estimate(IReadOnlyList<long> groupRequests, double share, int minSubjects)
    {
        var groupCount = groupRequests.Count;
        double n = groupRequests.Sum(), q = groupRequests.Sum(g => (double)g * g);
        var r = Math.Clamp(((groupCount * q) - (n * n)) / (groupCount - 1), n, q);
        var subjects = n * n / r;
        var population = new (long Subjects, double Each)[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var k = groupRequests[g] == 0 ? 0 : Math.Max(1L, (long)Math.Round(groupRequests[g] * subjects / n, MidpointRounding.AwayFromZero));
            population[g] = (k, k == 0 ? 0 : (double)groupRequests[g] / k);
        }

        var random = new Random(20261208);
        var arm = new ArmSample[groupCount];
        double sum = 0;
        var below = 0;
        for (var d = 0; d < SubjectReach.Draws; d++)
        {
            long total = 0;
            for (var g = 0; g < groupCount; g++)
            {
                var hits = 0L;
                for (var i = 0; i < population[g].Subjects; i++)
                {
                    hits += random.NextDouble() < share ? 1 : 0;
                }

                arm[g] = new ArmSample { Requests = (long)Math.Round(hits * population[g].Each, MidpointRounding.AwayFromZero) };
                total += arm[g].Requests;
            }

            var effective = new ArmSample { Requests = total, Groups = arm }.CapSubjects().EffectiveSubjects;
            sum += effective;
            below += effective < minSubjects ? 1 : 0;
        }

        return new SubjectReachEstimate(sum / SubjectReach.Draws, (double)below / SubjectReach.Draws, subjects, SubjectReach.DayEffective(groupRequests));
    }
}
