using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// The check of <see cref="SubjectReach.Estimate"/> against real splits (docs/benchmarks.md, "Subjects a step reaches"):
/// a layout is <c>users</c> sticky users whose day's requests are Poisson with means in proportion to 1/iˢ (Zipf exponent
/// s; 0 is equal activity), 50 a user on average, hashed uniformly into the 64 subject groups. The truth is the mean and
/// the share below min_subjects of the capped Kish count of the arm over 200 seeded splits of the users themselves
/// (each to the arm with probability share, as the gateway's sticky split); the estimates see only the 64 group counts.
/// </summary>
internal static class SubjectReachSimulation
{
    public const int MinSubjects = 20;

    private const int Splits = 200;

    private const double MeanRequests = 50;

    public static SubjectReachCell Run(int users, double zipf, double share, int layouts, int seed)
    {
        var random = new Random(seed);
        double truthSum = 0, oldRatio = 0, newRatio = 0, newLowest = double.MaxValue, newHighest = 0, oldUnwarned = 0, newUnwarned = 0;
        int trulyShort = 0, oldMissed = 0, oldFalse = 0, newMissed = 0, newFalse = 0;
        for (var layout = 0; layout < layouts; layout++)
        {
            var (requests, group) = Layout(random, users, zipf);
            var counts = new long[SubjectGroups.Count];
            for (var u = 0; u < requests.Length; u++)
            {
                counts[group[u]] += requests[u];
            }

            var (truth, shortShare) = Truth(random, requests, group, share);
            truthSum += truth;
            var isShort = shortShare >= SubjectShortfallWarning.ShortShare;
            trulyShort += isShort ? 1 : 0;

            var old = OldSubjectReach.Estimate(counts, share, MinSubjects);
            var oldWarns = old.ShareBelow >= SubjectShortfallWarning.ShortShare;
            oldRatio += old.Expected / truth;
            oldMissed += isShort && !oldWarns ? 1 : 0;
            oldFalse += oldWarns && !isShort ? 1 : 0;
            oldUnwarned += oldWarns ? 0 : shortShare;

            var estimate = SubjectReach.Estimate(counts, share, MinSubjects)!;
            var warns = estimate.ShareBelow >= SubjectShortfallWarning.ShortShare;
            var ratio = estimate.Expected / truth;
            newRatio += ratio;
            newLowest = Math.Min(newLowest, ratio);
            newHighest = Math.Max(newHighest, ratio);
            newMissed += isShort && !warns ? 1 : 0;
            newFalse += warns && !isShort ? 1 : 0;
            newUnwarned += warns ? 0 : shortShare;
        }

        return new SubjectReachCell(users, zipf, share, layouts, truthSum / layouts, trulyShort,
            oldRatio / layouts, oldMissed, oldFalse, oldUnwarned / layouts,
            newRatio / layouts, newLowest, newHighest, newMissed, newFalse, newUnwarned / layouts);
    }

    /// <summary>Each user's requests over the day (users without any dropped) and group.</summary>
    private static (long[] Requests, int[] Group) Layout(Random random, int users, double zipf)
    {
        var weights = Enumerable.Range(1, users).Select(i => Math.Pow(i, -zipf)).ToArray();
        var scale = MeanRequests * users / weights.Sum();
        var requests = new List<long>();
        var group = new List<int>();
        foreach (var w in weights)
        {
            var r = Poisson(random, w * scale);
            var g = random.Next(SubjectGroups.Count);
            if (r > 0)
            {
                requests.Add(r);
                group.Add(g);
            }
        }

        return (requests.ToArray(), group.ToArray());
    }

    private static (double Mean, double ShortShare) Truth(Random random, long[] requests, int[] group, double share)
    {
        var arm = new ArmSample[SubjectGroups.Count];
        var counts = new long[SubjectGroups.Count];
        double sum = 0;
        var below = 0;
        for (var s = 0; s < Splits; s++)
        {
            Array.Clear(counts);
            for (var u = 0; u < requests.Length; u++)
            {
                counts[group[u]] += random.NextDouble() < share ? requests[u] : 0;
            }

            for (var g = 0; g < arm.Length; g++)
            {
                arm[g] = new ArmSample { Requests = counts[g] };
            }

            var effective = new ArmSample { Requests = counts.Sum(), Groups = arm }.CapSubjects().EffectiveSubjects;
            sum += effective;
            below += effective < MinSubjects ? 1 : 0;
        }

        return (sum / Splits, (double)below / Splits);
    }

    private static long Poisson(Random random, double mean)
    {
        if (mean > 50)
        {
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Max(0, (long)Math.Round(mean + (z * Math.Sqrt(mean))));
        }

        var limit = Math.Exp(-mean);
        var k = 0L;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }
}
