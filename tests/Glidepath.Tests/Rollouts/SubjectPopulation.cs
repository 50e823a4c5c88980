using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Seeded sticky users for planner and judge tests: Zipf (s = 1) activity, each user in one of 64 subject groups by its
/// own draw, a base error rate and a share of "client bug" users who fail more on every arm alike (trial netfalse).
/// </summary>
internal sealed class SubjectPopulation
{
    public const int GroupCount = 64;

    private readonly double[] cumulative;
    private readonly int[] group;
    private readonly double[] errorRate;

    public SubjectPopulation(int users, double baseErrorRate, double buggyShare, double buggyExtra, int seed)
    {
        var random = new Random(seed);
        cumulative = new double[users];
        group = new int[users];
        errorRate = new double[users];
        double sum = 0;
        for (var i = 0; i < users; i++)
        {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
            group[i] = random.Next(GroupCount);
            errorRate[i] = baseErrorRate + (random.NextDouble() < buggyShare ? buggyExtra : 0);
        }
    }

    public int Users => group.Length;

    /// <summary>A day of traffic wholly on one release: the stable release's stored aggregates, per subject group.</summary>
    public ArmSample Day(long requests, int seed)
    {
        var (arm, _) = Step(requests, weight: 0, seed);
        return arm.Stable;
    }

    /// <summary><paramref name="requests"/> requests split by user, each user on the canary with probability <paramref name="weight"/> (drawn from <paramref name="seed"/>).</summary>
    public ((ArmSample Canary, ArmSample Stable) Arms, int CanaryUsers) Step(long requests, double weight, int seed)
    {
        var random = new Random(seed);
        var onCanary = new bool[Users];
        var canaryUsers = 0;
        for (var i = 0; i < Users; i++)
        {
            onCanary[i] = random.NextDouble() < weight;
            canaryUsers += onCanary[i] ? 1 : 0;
        }

        var counts = new long[2, GroupCount, 2];
        var total = cumulative[^1];
        for (long r = 0; r < requests; r++)
        {
            var at = Array.BinarySearch(cumulative, random.NextDouble() * total);
            var user = at >= 0 ? at : Math.Min(~at, Users - 1);
            var arm = onCanary[user] ? 0 : 1;
            counts[arm, group[user], 0]++;
            counts[arm, group[user], 1] += random.NextDouble() < errorRate[user] ? 1 : 0;
        }

        return ((Sample(counts, 0), Sample(counts, 1)), canaryUsers);
    }

    private static ArmSample Sample(long[,,] counts, int arm)
    {
        var groups = new ArmSample[GroupCount];
        long requests = 0, errors = 0;
        for (var g = 0; g < GroupCount; g++)
        {
            groups[g] = new ArmSample { Requests = counts[arm, g, 0], Errors = counts[arm, g, 1], LatencyCount = counts[arm, g, 0] - counts[arm, g, 1] };
            requests += groups[g].Requests;
            errors += groups[g].Errors;
        }

        return new ArmSample { Requests = requests, Errors = errors, LatencyCount = requests - errors, Groups = groups };
    }
}
