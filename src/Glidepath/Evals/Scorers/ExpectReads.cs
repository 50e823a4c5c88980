using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Which <c>expect</c> keys of a case a scorer reads (<paramref name="Keys"/>), and whether it checks every case whatever
/// its expectations (<paramref name="EveryCase"/>: <c>not_contains</c> with <c>values</c>, <c>max_latency_ms</c>, a
/// judge). A dataset is checked against the union over its scorers before a run: a key none reads (a typo, a regex with
/// no regex scorer) or a case none checks would otherwise pass without anything having been checked.
/// </summary>
public sealed record ExpectReads(IReadOnlyList<string> Keys, bool EveryCase)
{
    /// <summary>What the scorers <paramref name="specs"/> name read together, or null when a type does not say (a custom one).</summary>
    public static ExpectReads? Of(IEnumerable<ScorerSpec> specs, ScorerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Union(specs.Select(spec => registry.Find(spec.Type)?.Reads?.Invoke(spec)));
    }

    /// <summary>
    /// Why a case with <paramref name="expect"/> would pass with nothing checked: an <c>expect</c> key none of the scorers
    /// reads (a typo, an <c>expect.regex</c> without a regex scorer), or, when none checks every case, no key any reads.
    /// </summary>
    public IEnumerable<string> Problems(JsonObject expect)
    {
        ArgumentNullException.ThrowIfNull(expect);
        var read = string.Join(", ", Keys);
        foreach (var (key, _) in expect)
        {
            if (!Keys.Contains(key))
            {
                yield return Keys.Count > 0
                    ? $"expect.{key} is read by no scorer in eval.scorers (the keys they read: {read}); expected one of those, or a scorer that reads it in eval.scorers{ClosestName.Suggestion(key, Keys)}"
                    : $"expect.{key} is read by no scorer in eval.scorers (they read no expect key); expected a scorer that reads it in eval.scorers";
            }
        }

        if (!EveryCase && !expect.Any(e => Keys.Contains(e.Key)))
        {
            yield return Keys.Count > 0
                ? $"no scorer in eval.scorers checks it (its expect has none of: {read}); expected one of those keys, or a scorer that checks every case (e.g. not_contains with values)"
                : "no scorer in eval.scorers checks it (there is none); expected a scorer in eval.scorers, e.g. { type: contains }";
        }
    }

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
