namespace Glidepath.Evals.Scorers;

/// <summary>
/// <c>contains</c>: the response contains every value. Values come from the scorer's <c>values</c>, or else
/// from the case's <c>expect.contains</c> (and <c>expect.icontains</c>, compared ignoring case).
/// Score = the fraction of values found; pass = all found.
/// </summary>
public sealed class ContainsScorer(string name, IReadOnlyList<string> values, bool ignoreCase) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Value, bool IgnoreCase)>();
        if (values.Count > 0)
        {
            wanted.AddRange(values.Select(v => (v, ignoreCase)));
        }
        else
        {
            wanted.AddRange(Expectations.Strings(input.Case?.Expect, "contains").Select(v => (v, ignoreCase)));
            wanted.AddRange(Expectations.Strings(input.Case?.Expect, "icontains").Select(v => (v, true)));
        }

        if (wanted.Count == 0)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var missing = wanted.Where(w => !input.ResponseText.Contains(w.Value, w.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            .Select(w => w.Value).ToList();
        var score = 1.0 - ((double)missing.Count / wanted.Count);
        return ValueTask.FromResult<ScoreValue?>(missing.Count == 0
            ? new ScoreValue(1, true, "contains every expected value")
            : new ScoreValue(score, false, "missing: " + string.Join(", ", missing.Select(m => $"\"{m}\""))));
    }
}
