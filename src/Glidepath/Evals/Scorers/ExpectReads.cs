namespace Glidepath.Evals.Scorers;

/// <summary>
/// Which <c>expect</c> keys of a case a scorer reads (<paramref name="Keys"/>), and whether it checks every case whatever
/// its expectations (<paramref name="EveryCase"/>: <c>not_contains</c> with <c>values</c>, <c>max_latency_ms</c>, a
/// judge). A dataset is checked against the union over its scorers before a run: a key none reads (a typo, a regex with
/// no regex scorer) or a case none checks would otherwise pass without anything having been checked.
/// </summary>
public sealed record ExpectReads(IReadOnlyList<string> Keys, bool EveryCase)
{
    /// <summary>The expectations a set of scorers reads together, or null when any of them does not say (a custom scorer).</summary>
    public static ExpectReads? Union(IEnumerable<ExpectReads?> reads)
    {
        var keys = new List<string>();
        var everyCase = false;
        foreach (var r in reads)
        {
            if (r is null)
            {
                return null;
            }

            keys.AddRange(r.Keys.Where(k => !keys.Contains(k)));
            everyCase |= r.EveryCase;
        }

        return new ExpectReads(keys, everyCase);
    }
}
