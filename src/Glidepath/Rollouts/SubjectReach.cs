namespace Glidepath.Rollouts;

/// <summary>
/// What an arm that gets a share of an environment's traffic would count as effective subjects (Kish's effective number
/// of subject groups, after the judge's cap of heavy groups: what <see cref="JudgePolicy.MinSubjects"/> is checked
/// against), estimated from the requests per subject group of traffic that went wholly to one release (the stable
/// release's last 24 hours). A few hundred users hash into 64 groups, so a 10% canary of 300 users levels off near 19
/// effective subjects however long it runs (trial newcomer3 M1): this says so before the rollout starts.
/// </summary>
/// <remarks>
/// Method. The groups' request counts nᵍ do not show single subjects, but subjects fall in groups by a uniform hash:
/// a group's count is a sum over a Poisson number of subjects. The groups at or under the judge's cap give the light
/// subjects' size (their variance over their mean) and how many a group holds; each group over the cap holds that many
/// light subjects plus one heavy subject with the rest (<see cref="HeavyTailedPopulation"/>). The sticky split sends
/// each subject to the canary with probability w, independently of its group (the split and the groups hash the
/// subject differently), so an arm of share p gets Binomial(kᵍ, p) of group g's light subjects and its heavy one with
/// probability p. The estimate is the mean, over <see cref="Draws"/> draws of that assignment from a fixed seed, of the
/// arm's Kish count after <see cref="ArmSample.CapSubjects"/>, and the share of draws below min_subjects: one rollout's
/// split is one draw, so a mean just above min_subjects still leaves many splits short. It is a ceiling for a step of a
/// day's mix of subjects; a step shorter than a day sees fewer of them, and counts fewer. Until 2026-12-08 every group
/// held equally active subjects, S = N² / R of them over the day (R = Σ rᵢ², estimated from Σ nᵍ²), in proportion to
/// its count: with heavy-tailed users R is mostly the heaviest few, S small, and most light groups were one subject
/// that went wholly to one arm, so the estimate ran low (a 50% step of 200 Zipf users: 16.4 estimated, 27–31 measured).
/// Simulated on Zipf and equal populations of 50 to 5,000 users in docs/benchmarks.md ("Subjects a step reaches").
/// </remarks>
public static partial class SubjectReach
{
    /// <summary>Draws of the subject-to-arm assignment; with the fixed seed the same counts always give the same estimate.</summary>
    public const int Draws = 200;

    /// <summary>Fewer requests than this over the day estimate nothing (as <see cref="StableProfile.From"/>).</summary>
    public const long MinRequests = 100;

    private const int Seed = 20261208;

    /// <summary>Above this many subjects in a group its binomial draw is taken from the normal approximation.</summary>
    private const int ExactUpTo = 256;

    /// <summary>
    /// The estimate for an arm that gets <paramref name="share"/> (0 &lt; share &lt; 1) of the traffic whose requests per
    /// subject group were <paramref name="groupRequests"/>; null with fewer than <see cref="MinRequests"/> requests.
    /// </summary>
    public static SubjectReachEstimate? Estimate(IReadOnlyList<long> groupRequests, double share, int minSubjects)
    {
        ArgumentNullException.ThrowIfNull(groupRequests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, 1);
        if (Sums(groupRequests) is null)
        {
            return null;
        }

        var groupCount = groupRequests.Count;
        var population = HeavyTailedPopulation(groupRequests);
        var random = new Random(Seed);
        var arm = new ArmSample[groupCount];
        double sum = 0;
        var below = 0;
        for (var d = 0; d < Draws; d++)
        {
            long total = 0;
            for (var g = 0; g < groupCount; g++)
            {
                var (light, each, heavy) = population[g];
                var drawn = (Binomial(random, light, share) * each) + (heavy > 0 && random.NextDouble() < share ? heavy : 0);
                var requests = (long)Math.Round(drawn, MidpointRounding.AwayFromZero);
                arm[g] = new ArmSample { Requests = requests };
                total += requests;
            }

            var effective = new ArmSample { Requests = total, Groups = arm }.CapSubjects().EffectiveSubjects;
            sum += effective;
            below += effective < minSubjects ? 1 : 0;
        }

        var subjects = population.Sum(p => p.Light + (p.Heavy > 0 ? 1 : 0));
        return new SubjectReachEstimate(sum / Draws, (double)below / Draws, subjects, DayEffective(groupRequests));
    }

    /// <summary>
    /// The whole day's effective subjects: the Kish count of <paramref name="groupRequests"/> after the judge's cap of heavy
    /// groups (<see cref="ArmSample.CapSubjects"/>), the figure an arm with all of the day's subjects would count.
    /// </summary>
    public static double DayEffective(IReadOnlyList<long> groupRequests)
    {
        ArgumentNullException.ThrowIfNull(groupRequests);
        var groups = groupRequests.Select(g => new ArmSample { Requests = Math.Max(g, 0) }).ToArray();
        return new ArmSample { Requests = groups.Sum(g => g.Requests), Groups = groups }.CapSubjects().EffectiveSubjects;
    }

    /// <summary>
    /// For an arm that gets <paramref name="share"/> of the subjects of the traffic whose requests per subject group were
    /// <paramref name="groupRequests"/>, over the same seeded draws as <see cref="Estimate"/>: the share of its requests the
    /// judge's cap keeps (<see cref="ArmSample.CapSubjects"/>), and its between-subject variance over the whole traffic's
    /// (both capped), for subjects whose deviations from the mean rate are alike and independent (<see cref="SubjectSpread"/>):
    /// about 1/share when groups hold many equally active subjects, less when a few heavy subjects, capped, dominate.
    /// Null with fewer than <see cref="MinRequests"/> requests or two groups.
    /// </summary>
    internal static (double Kept, double Between)? Scale(IReadOnlyList<long> groupRequests, double share)
    {
        ArgumentNullException.ThrowIfNull(groupRequests);
        if (Sums(groupRequests) is not { } sums)
        {
            return null;
        }

        var (n, q) = sums;

        var (population, _) = EqualPopulation(groupRequests, n, q);
        var whole = new long[population.Length];
        for (var g = 0; g < whole.Length; g++)
        {
            whole[g] = population[g].Subjects;
        }

        var (_, day) = Capped(population, whole);
        if (!(day > 0))
        {
            return null;
        }

        var random = new Random(Seed);
        var drawn = new long[population.Length];
        double kept = 0, between = 0;
        for (var d = 0; d < Draws; d++)
        {
            for (var g = 0; g < drawn.Length; g++)
            {
                drawn[g] = Binomial(random, population[g].Subjects, share);
            }

            var (k, b) = Capped(population, drawn);
            kept += k;
            between += b;
        }

        return (kept / Draws, between / Draws / day);
    }

    /// <summary>
    /// For <paramref name="subjects"/>[g] subjects of each group on an arm: the share of its requests the cap keeps, and
    /// Σ fᵍ²eᵍ²jᵍ / (Σ fᵍjᵍeᵍ)² (eᵍ a subject's requests, jᵍ the subjects, fᵍ the cap's factor): the arm's between
    /// variance per unit of a subject's variance.
    /// </summary>
    private static (double Kept, double Between) Capped((long Subjects, double Each)[] population, long[] subjects)
    {
        var arm = new ArmSample[population.Length];
        long total = 0;
        for (var g = 0; g < arm.Length; g++)
        {
            arm[g] = new ArmSample { Requests = (long)Math.Round(subjects[g] * population[g].Each, MidpointRounding.AwayFromZero) };
            total += arm[g].Requests;
        }

        var capped = new ArmSample { Requests = total, Groups = arm }.CapSubjects();
        double squares = 0, sum = 0;
        for (var g = 0; g < arm.Length; g++)
        {
            if (arm[g].Requests > 0)
            {
                var weight = (double)capped.Groups![g].Requests;
                squares += weight * weight / subjects[g];
                sum += weight;
            }
        }

        return total > 0 && sum > 0 ? (sum / total, squares / (sum * sum)) : (1, double.NaN);
    }

    /// <summary>
    /// The subjects the groups imply under the model before 2026-12-08, which <see cref="Scale"/> keeps: S = N² / R equally
    /// active subjects, kᵍ = max(1, round(nᵍ·S/N)) in group g, of nᵍ/kᵍ requests each. <see cref="Capped"/>'s between
    /// variance assumes a group's subjects alike, which this model gives and <see cref="HeavyTailedPopulation"/> does not.
    /// </summary>
    private static ((long Subjects, double Each)[] Groups, double Subjects) EqualPopulation(IReadOnlyList<long> groupRequests, double n, double q)
    {
        var groupCount = groupRequests.Count;
        var r = Math.Clamp(((groupCount * q) - (n * n)) / (groupCount - 1), n, q);
        var subjects = n * n / r;
        var population = new (long Subjects, double Each)[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var ng = Math.Max(groupRequests[g], 0);
            var k = ng == 0 ? 0 : Math.Max(1L, (long)Math.Round(ng * subjects / n, MidpointRounding.AwayFromZero));
            population[g] = (k, k == 0 ? 0 : (double)ng / k);
        }

        return (population, subjects);
    }

    private static long Binomial(Random random, long trials, double p)
    {
        if (trials <= ExactUpTo)
        {
            var hits = 0L;
            for (var i = 0; i < trials; i++)
            {
                hits += random.NextDouble() < p ? 1 : 0;
            }

            return hits;
        }

        // Box–Muller: with more than 256 trials the normal approximation is within a subject of the exact draw.
        var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Clamp((long)Math.Round((trials * p) + (z * Math.Sqrt(trials * p * (1 - p))), MidpointRounding.AwayFromZero), 0, trials);
    }

    /// <summary>The requests and the sum of each group's requests squared (negative counts read as 0); null under <see cref="MinRequests"/> requests or two groups.</summary>
    private static (double N, double Q)? Sums(IReadOnlyList<long> groupRequests)
    {
        double n = 0, q = 0;
        foreach (var g in groupRequests)
        {
            n += Math.Max(g, 0);
            q += (double)Math.Max(g, 0) * Math.Max(g, 0);
        }

        return n < MinRequests || groupRequests.Count < 2 ? null : (n, q);
    }
}
