using System.Globalization;

namespace Glidepath.Evals.Scorers;

/// <summary><c>similarity</c>: token F1 between the response and the case's <c>expect.reference</c>; passes at <c>threshold</c> (default 0.5).</summary>
public sealed class SimilarityScorer(string name, double threshold) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var reference = Expectations.String(input.Case?.Expect, "reference") ?? Expectations.String(input.Case?.Expect, "exact");
        if (reference is null)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var f1 = TokenF1(input.ResponseText, reference);
        var text = ThresholdText.Value(f1, threshold, "0.00");
        return ValueTask.FromResult<ScoreValue?>(new ScoreValue(f1, f1 >= threshold, $"token F1 {text} (pass at {ThresholdText.Limit(threshold)})"));
    }

    /// <summary>SQuAD-style token F1: lower-cased words, multiset overlap, harmonic mean of precision and recall.</summary>
    public static double TokenF1(string candidate, string reference)
    {
        var c = Tokens(candidate);
        var r = Tokens(reference);
        if (c.Count == 0 || r.Count == 0)
        {
            return c.Count == r.Count ? 1 : 0;
        }

        var counts = r.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var overlap = 0;
        foreach (var t in c)
        {
            if (counts.TryGetValue(t, out var n) && n > 0)
            {
                counts[t] = n - 1;
                overlap++;
            }
        }

        if (overlap == 0)
        {
            return 0;
        }

        var precision = (double)overlap / c.Count;
        var recall = (double)overlap / r.Count;
        return 2 * precision * recall / (precision + recall);
    }

    private static List<string> Tokens(string text)
    {
        var list = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                list.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return list;
    }
}
