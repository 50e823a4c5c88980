using System.Globalization;

namespace Glidepath.Bench.CanarySim;

/// <summary>One seeded step of <see cref="NettingScenario"/> traffic, kept as each arm's requests and newest one-arm errors.</summary>
internal sealed class NettingTraffic
{
    private readonly Rng rng;
    private readonly NettingScenario s;
    private readonly double[] cumulative;
    private readonly string[] key;
    private readonly bool[] canary;
    private readonly bool[] heavy;
    private readonly string[] attackKeys;
    private readonly bool[] attackerOnCanary;
    private const int AttackSubjects = 500;

    public NettingTraffic(Rng rng, NettingScenario scenario)
    {
        this.rng = rng;
        s = scenario;
        cumulative = new double[s.Subjects];
        key = new string[s.Subjects];
        canary = new bool[s.Subjects];
        heavy = new bool[s.Subjects];
        var zipf = s.Keys > 0 ? Enumerable.Range(1, s.Keys).Select(k => 1.0 / k).ToArray() : [];
        var zipfTotal = zipf.Sum();
        double total = 0;
        var activity = new double[s.Subjects];
        for (var i = 0; i < s.Subjects; i++)
        {
            activity[i] = Math.Pow(1 - rng.NextDouble(), -1 / 1.2);
            total += activity[i];
            cumulative[i] = total;
            key[i] = s.Keys > 0 ? "k" + Pick(zipf, zipfTotal * rng.NextDouble()).ToString(CultureInfo.InvariantCulture) : "u" + i.ToString(CultureInfo.InvariantCulture);
            canary[i] = rng.NextDouble() < s.Weight;
        }

        foreach (var i in Enumerable.Range(0, s.Subjects).OrderByDescending(i => activity[i]).Take(s.HeavyRefusers))
        {
            heavy[i] = true;
        }

        attackKeys = [.. Enumerable.Range(0, s.AttackKeys).Select(k => "attacker" + k.ToString(CultureInfo.InvariantCulture))];
        attackerOnCanary = [.. Enumerable.Range(0, AttackSubjects).Select(_ => !s.AttackPinned && rng.NextDouble() < s.Weight)];
    }

    public Arm Canary { get; } = new();
    public Arm Stable { get; } = new();

    /// <summary>Draws requests until the canary has served <paramref name="canaryRequests"/>.</summary>
    public void RunUntil(int canaryRequests)
    {
        var attack = s.AttackTraffic;
        while (Canary.Requests < canaryRequests)
        {
            if (s.AttackRefused > 0 && rng.NextDouble() < s.AttackRefused)
            {
                // Requests both arms refuse, sent to dilute the arms' difference by key.
                var d = (int)(rng.NextDouble() * AttackSubjects);
                (attackerOnCanary[d] ? Canary : Stable).Add(true, attackKeys[d % attackKeys.Length], "a" + d.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            if (attack > 0 && rng.NextDouble() < attack)
            {
                var a = (int)(rng.NextDouble() * AttackSubjects);
                var onCanary = attackerOnCanary[a];
                // Its requests time out on stable only; the canary answers them.
                (onCanary ? Canary : Stable).Add(!onCanary, attackKeys[a % attackKeys.Length], "a" + a.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            var x = rng.NextDouble() * cumulative[^1];
            var i = Array.BinarySearch(cumulative, x);
            i = Math.Min(i < 0 ? ~i : i, s.Subjects - 1);
            var refused = rng.NextDouble() < (heavy[i] ? 0.3 : s.Refusals);
            var timedOut = canary[i] && !refused && s.CanaryTimeouts > 0 && rng.NextDouble() < s.CanaryTimeouts;
            (canary[i] ? Canary : Stable).Add(refused || timedOut, key[i], "s" + i.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static int Pick(double[] weights, double x)
    {
        for (var k = 0; k < weights.Length; k++)
        {
            x -= weights[k];
            if (x <= 0)
            {
                return k;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>One arm's requests, one-arm errors, and the newest <see cref="Rollouts.ErrorMix.ReadLimit"/> of them as (key, subject).</summary>
    internal sealed class Arm
    {
        private readonly KeyValuePair<string, string?>[] ring = new KeyValuePair<string, string?>[Rollouts.ErrorMix.ReadLimit];

        public long Requests { get; private set; }
        public long OneArm { get; private set; }

        public void Add(bool oneArmError, string key, string subject)
        {
            Requests++;
            if (oneArmError)
            {
                ring[OneArm % ring.Length] = new(key, subject);
                OneArm++;
            }
        }

        public IReadOnlyList<KeyValuePair<string, string?>> Newest() => [.. ring.Take((int)Math.Min(OneArm, ring.Length))];

        public Dictionary<string, int> ByKey() => Newest().GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
