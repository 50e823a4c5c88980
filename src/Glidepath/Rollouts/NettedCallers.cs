namespace Glidepath.Rollouts;

/// <summary>
/// Whether the two arms' one-arm errors (refusals of the request, timeouts) came from different callers beyond chance:
/// a permutation test of their shares by caller key that moves whole subjects between the arms, as the sticky split does.
/// </summary>
/// <remarks>
/// The statistic is the distance between the arms' shares by key, 1 − <see cref="Overlap"/>. Under the hypothesis that the
/// arm does not change which callers' requests fail, the split assigns each subject to an arm at random, so given which
/// subjects failed and how often, every choice of as many of them for the canary is equally likely: the p-value is the
/// share of such choices (drawn at random, with a seed taken from the errors themselves, so the same errors always give the
/// same answer) whose distance is at least the one seen. A subject is the unit because one subject's requests all go to one
/// arm (a heavy user whose own requests are refused, or a key held by one user, is on one arm whoever made the change);
/// errors without a subject (per-request keys) are units of their own. Raw shares are not compared: a canary with a
/// few errors from a few of many callers overlaps stable's poorly by chance alone.
/// </remarks>
public static class NettedCallers
{
    /// <summary>Random assignments drawn at most; the smallest p-value is 1 / (this + 1).</summary>
    public const int Draws = 4999;

    /// <summary>Assignments at least as far apart as the one seen after which drawing stops (the p-value is then above any α used).</summary>
    public const int StopAfter = 20;

    /// <summary>
    /// The p-value of the arms' shares by key of their one-arm errors, each given as (key, subject hash or null) per
    /// error; 1 when either arm has none.
    /// </summary>
    public static double PValue(IReadOnlyList<KeyValuePair<string, string?>> canary, IReadOnlyList<KeyValuePair<string, string?>> stable)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(stable);
        if (canary.Count == 0 || stable.Count == 0)
        {
            return 1;
        }

        // Units in a fixed order, so that the same errors listed in another order draw the same assignments.
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var units = new List<Dictionary<int, int>>();
        var canaryUnits = AddUnits(Sorted(canary), keys, units);
        AddUnits(Sorted(stable), keys, units);
        var totals = new int[keys.Count];
        foreach (var unit in units)
        {
            foreach (var (key, count) in unit)
            {
                totals[key] += count;
            }
        }

        var unitKeys = units.Select(u => u.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToArray()).ToArray();
        var order = Enumerable.Range(0, units.Count).ToArray();
        var shares = new int[keys.Count];
        var seen = Distance(order, canaryUnits, unitKeys, totals, shares);
        var random = new SplitMix(Seed(canary, stable));
        var atLeast = 0;
        for (var draw = 1; draw <= Draws; draw++)
        {
            // A partial Fisher–Yates shuffle: the first canaryUnits entries are a uniform choice of the canary's subjects.
            for (var i = 0; i < canaryUnits; i++)
            {
                var j = i + (int)random.Below((ulong)(order.Length - i));
                (order[i], order[j]) = (order[j], order[i]);
            }

            if (Distance(order, canaryUnits, unitKeys, totals, shares) >= seen - 1e-12 && ++atLeast >= StopAfter)
            {
                return (double)atLeast / draw;
            }
        }

        return (atLeast + 1.0) / (Draws + 1.0);
    }

    /// <summary>Σ over keys of the smaller of the two shares: 1 for the same callers in the same proportions, 0 for none in common.</summary>
    public static double Overlap(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double totalA = a.Values.Sum(), totalB = b.Values.Sum();
        if (totalA <= 0 || totalB <= 0)
        {
            return 1;
        }

        return a.Sum(p => Math.Min(p.Value / totalA, b.GetValueOrDefault(p.Key) / totalB));
    }

    private static List<KeyValuePair<string, string?>> Sorted(IReadOnlyList<KeyValuePair<string, string?>> errors) =>
        [.. errors.OrderBy(e => e.Key, StringComparer.Ordinal).ThenBy(e => e.Value, StringComparer.Ordinal)];

    /// <summary>Groups one arm's errors into units (one per subject; one per error without a subject) and returns how many.</summary>
    private static int AddUnits(IReadOnlyList<KeyValuePair<string, string?>> errors, Dictionary<string, int> keys, List<Dictionary<int, int>> units)
    {
        var bySubject = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        var added = 0;
        foreach (var (keyName, subject) in errors)
        {
            if (!keys.TryGetValue(keyName, out var key))
            {
                key = keys.Count;
                keys[keyName] = key;
            }

            Dictionary<int, int>? unit;
            if (subject is null || !bySubject.TryGetValue(subject, out unit))
            {
                unit = [];
                units.Add(unit);
                added++;
                if (subject is not null)
                {
                    bySubject[subject] = unit;
                }
            }

            unit[key] = unit.GetValueOrDefault(key) + 1;
        }

        return added;
    }

    /// <summary>1 − overlap of the shares by key of the first <paramref name="canaryUnits"/> units of <paramref name="order"/> and the rest.</summary>
    private static double Distance(int[] order, int canaryUnits, (int Key, int Count)[][] unitKeys, int[] totals, int[] counts)
    {
        Array.Clear(counts);
        var canaryTotal = 0;
        for (var i = 0; i < canaryUnits; i++)
        {
            foreach (var (key, count) in unitKeys[order[i]])
            {
                counts[key] += count;
                canaryTotal += count;
            }
        }

        var all = 0;
        foreach (var t in totals)
        {
            all += t;
        }

        var stableTotal = all - canaryTotal;
        double overlap = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            overlap += Math.Min((double)counts[k] / canaryTotal, (double)(totals[k] - counts[k]) / stableTotal);
        }

        return 1 - overlap;
    }

    /// <summary>FNV-1a over the errors in a fixed order: the same errors always draw the same assignments.</summary>
    private static ulong Seed(IReadOnlyList<KeyValuePair<string, string?>> canary, IReadOnlyList<KeyValuePair<string, string?>> stable)
    {
        var hash = 14695981039346656037UL;
        foreach (var (arm, errors) in new[] { ("c", canary), ("s", stable) })
        {
            foreach (var text in errors.Select(e => $"{arm}\u0001{e.Key}\u0001{e.Value}").Order(StringComparer.Ordinal))
            {
                foreach (var ch in text)
                {
                    hash = (hash ^ ch) * 1099511628211UL;
                }

                hash = (hash ^ 0xFF) * 1099511628211UL;
            }
        }

        return hash;
    }

    /// <summary>SplitMix64: small, fast, and the same on every platform and runtime (unlike a seeded System.Random's future).</summary>
    private sealed class SplitMix(ulong state)
    {
        public ulong Below(ulong n)
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (ulong)((UInt128)z * n >> 64);
        }
    }
}
