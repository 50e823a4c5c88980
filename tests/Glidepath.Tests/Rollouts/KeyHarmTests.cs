using Glidepath.Rollouts;
using Glidepath.Traces;
using Xunit.Abstractions;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// The per-key error guard (<see cref="KeyHarm"/>; outside trial segments H1), by seeded simulation: how often an A/A
/// canary is held (at most α / 2), and how often the trial's canary (one key 0.33% → 6% while the rest improves) is.
/// The figures are printed (docs/benchmarks.md, "Per-key error guard"):
/// <c>dotnet test tests/Glidepath.Tests -c Release --filter "FullyQualifiedName~KeyHarmTests" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class KeyHarmTests(ITestOutputHelper output)
{
    private const int Users = 1500;

    // The sample's plan: 6 metrics at confidence 0.95; the docs' default plan: 4.
    private const double SampleAlpha = 0.05 / 6;
    private const double DefaultAlpha = 0.05 / 4;

    /// <summary>One caller key of the simulation: its share of the users and their base error rate on stable.</summary>
    private sealed record Key(string Name, double Share, double BaseRate);

    private static readonly Key[] ThreeKeys = [new("web", 0.80, 0.005), new("mobile", 0.12, 0.01), new("acme2", 0.08, 0.02)];

    private static readonly Key[] TenKeys =
    [
        new("k0", 0.30, 0.002), new("k1", 0.20, 0.005), new("k2", 0.12, 0.01), new("k3", 0.10, 0.02), new("k4", 0.08, 0.05),
        new("k5", 0.06, 0.003), new("k6", 0.05, 0.008), new("k7", 0.04, 0.015), new("k8", 0.03, 0.03), new("k9", 0.02, 0.04),
    ];

    [Theory]
    [InlineData(3, 0.01, 1)]
    [InlineData(3, 0.0, 2)]
    [InlineData(10, 0.01, 3)]
    [InlineData(10, 0.0, 4)]
    public void AA_HeterogeneousUsers_FalseHoldsAtMostHalfOfAlpha(int keyCount, double tolerance, int seed)
    {
        const int runs = 2000;
        const double alpha = 0.05; // above any plan's alpha per metric: the bound is checked where it is loosest
        var keys = keyCount == 3 ? ThreeKeys : TenKeys;
        var random = new Random(seed);

        var held = 0;
        for (var run = 0; run < runs; run++)
        {
            var (canary, stable) = Step(random, keys, 9300, 0.5, (_, rate) => rate);
            held += KeyHarm.Find(canary, stable, tolerance, alpha).Count > 0 ? 1 : 0;
        }

        output.WriteLine($"A/A, {keyCount} keys, users' own error rates ×lognormal(σ 1), tolerance {tolerance}, α {alpha}: held in {held} of {runs} steps ({(double)held / runs:P2}); stated bound α/2 = {alpha / 2:P2}");
        Assert.True(held <= alpha / 2 * runs, $"{held} of {runs}");
    }

    // Trial segments, run 6: acme2 (8% of the users) fails 6% on the canary against 0.33% on stable; every other caller's
    // errors fall from 0.5% to 0. The sample's plan: error_rate max_increase 0.01; the step judged at 50% with about
    // 9,300 requests (4,560 on the canary), when the judge promoted it. Users' own rates differ (×lognormal σ 1) unless
    // said otherwise, on both arms: the harder case; the unfavourable figures (judged earlier, a smaller harm) are printed too.
    [Fact]
    public void TrialShape_OneKeyFailsWhileTheRestImproves_HeldInMostSteps()
    {
        var trial = Held(seed: 11, runs: 1000, requests: 9300, stableRate: 0.0033, canaryRate: 0.06, alpha: SampleAlpha);
        var early = Held(seed: 12, runs: 1000, requests: 4000, stableRate: 0.0033, canaryRate: 0.06, alpha: SampleAlpha);
        var mild = Held(seed: 13, runs: 1000, requests: 8700, stableRate: 0.011, canaryRate: 0.12, alpha: DefaultAlpha);
        var small = Held(seed: 14, runs: 1000, requests: 9300, stableRate: 0.0033, canaryRate: 0.03, alpha: SampleAlpha);
        var alike = Held(seed: 15, runs: 1000, requests: 9300, stableRate: 0.0033, canaryRate: 0.06, alpha: SampleAlpha, sigma: 0);

        output.WriteLine($"trial run 6 (acme2 0.33% → 6%, rest 0.5% → 0, ~9,300 requests at 50%): held in {trial:P1}");
        output.WriteLine($"the same judged earlier (~4,000 requests at 50%): held in {early:P1}");
        output.WriteLine($"trial run 10 (acme2 1.1% → 12%, default plan, ~8,700 requests): held in {mild:P1}");
        output.WriteLine($"acme2 0.33% → 3% (~9,300 requests): held in {small:P1}");
        output.WriteLine($"trial run 6 with every acme2 user failing alike (as the trial's upstream did): held in {alike:P1}");
        Assert.True(trial >= 0.7, $"{trial}");
        Assert.True(alike >= 0.6, $"{alike}");
        Assert.True(mild >= 0.95, $"{mild}");
    }

    private static double Held(int seed, int runs, int requests, double stableRate, double canaryRate, double alpha, double sigma = 1)
    {
        var random = new Random(seed);
        Key[] keys = [new("web", 0.80, 0.005), new("mobile", 0.12, 0.005), new("acme2", 0.08, stableRate)];
        var held = 0;
        for (var run = 0; run < runs; run++)
        {
            var (canary, stable) = Step(random, keys, requests, 0.5, (key, rate) => key.Name == "acme2" ? rate * canaryRate / stableRate : 0, sigma);
            var found = KeyHarm.Find(canary, stable, 0.01, alpha);
            held += found.Count > 0 && found[0].Key == "acme2" ? 1 : 0;
        }

        return (double)held / runs;
    }

    /// <summary>
    /// One step's requests: each user (sticky to one arm, the canary with <paramref name="canaryShare"/>) with an activity
    /// weight in [0.5, 2] and an own error rate of its key's base rate × lognormal(0, 1) (capped at 0.9), the canary's
    /// rate given by <paramref name="onCanary"/> from the key and the user's stable rate.
    /// </summary>
    private static (List<KeySubjectErrors> Canary, List<KeySubjectErrors> Stable) Step(Random random, Key[] keys, int requests, double canaryShare, Func<Key, double, double> onCanary, double sigma = 1)
    {
        var users = new List<(Key Key, double Weight, double Rate, bool Canary)>(Users);
        var cumulative = 0.0;
        var shares = keys.Select(k => cumulative += k.Share).ToArray();
        for (var u = 0; u < Users; u++)
        {
            var pick = random.NextDouble() * cumulative;
            var key = keys[Math.Min(keys.Length - 1, Array.FindIndex(shares, s => pick < s) is var i and >= 0 ? i : keys.Length - 1)];
            var rate = Math.Min(0.9, key.BaseRate * Math.Exp(sigma * Normal(random)));
            users.Add((key, 0.5 + (1.5 * random.NextDouble()), rate, random.NextDouble() < canaryShare));
        }

        var perWeight = requests / users.Sum(u => u.Weight);
        var canary = new List<KeySubjectErrors>();
        var stable = new List<KeySubjectErrors>();
        for (var u = 0; u < users.Count; u++)
        {
            var (key, weight, rate, onCanaryArm) = users[u];
            var n = Monitoring.ConversationTraffic.Poisson(random, perWeight * weight);
            if (n == 0)
            {
                continue;
            }

            var p = onCanaryArm ? Math.Min(1, onCanary(key, rate)) : rate;
            var errors = 0;
            for (var r = 0; r < n; r++)
            {
                errors += random.NextDouble() < p ? 1 : 0;
            }

            (onCanaryArm ? canary : stable).Add(new KeySubjectErrors(key.Name, $"u{u}", n, errors));
        }

        return (canary, stable);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // A review: a key's requests without a subject took the variance n·p(1 − p) at the whole key's rate, too small when
    // they fail more than its users: 480 errors in 4,000 such requests against 400 on stable (100 users at 0.5% beside
    // them on both arms) was held at tolerance 0 and α 0.05 (statistic 2.17 > 1.96); with their exact squared
    // residuals it is 1.93, inside chance.
    [Fact]
    public void Find_RequestsWithoutASubjectFailingMoreThanTheUsers_TheirOwnVariance_NotHeldWithinChance()
    {
        static List<KeySubjectErrors> Arm(long keylessErrors) =>
        [
            .. Enumerable.Range(0, 100).Select(i => new KeySubjectErrors("svc", $"u{i}", 40, i < 20 ? 1 : 0)),
            new KeySubjectErrors("svc", null, 4000, keylessErrors),
        ];

        Assert.Empty(KeyHarm.Find(Arm(480), Arm(400), tolerance: 0, alpha: 0.05));
        Assert.Single(KeyHarm.Find(Arm(500), Arm(400), tolerance: 0, alpha: 0.05)); // 2.36: beyond chance, held
    }

    [Fact]
    public void Find_KeysBelowTheFloorOrWithoutAKeyOnOneArm_NotCompared()
    {
        KeySubjectErrors Row(string key, string subject, long n, long e) => new(key, subject, n, e);

        // 99 requests on the canary: below the floor of 100, however bad.
        Assert.Empty(KeyHarm.Find([Row("a", "u1", 50, 40), Row("a", "u2", 49, 40)], [Row("a", "u3", 500, 0), Row("a", "u4", 500, 0)], 0.01, 0.05));
        // Only on the canary: nothing to compare with.
        Assert.Empty(KeyHarm.Find([Row("a", "u1", 500, 200), Row("a", "u2", 500, 200)], [Row("b", "u3", 500, 0), Row("b", "u4", 500, 0)], 0.01, 0.05));
        // One subject on an arm: its spread cannot be told from the key's.
        Assert.Empty(KeyHarm.Find([Row("a", "u1", 500, 200)], [Row("a", "u3", 500, 0), Row("a", "u4", 500, 0)], 0.01, 0.05));
        var found = Assert.Single(KeyHarm.Find([Row("a", "u1", 250, 100), Row("a", "u2", 250, 100)], [Row("a", "u3", 500, 0), Row("a", "u4", 500, 0)], 0.01, 0.05));
        Assert.Equal(("a", 500L, 200L, 1000L, 0L, 1), (found.Key, found.CanaryRequests, found.CanaryErrors, found.StableRequests, found.StableErrors, found.KeysCompared));
    }
}
