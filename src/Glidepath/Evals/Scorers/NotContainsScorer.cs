namespace Glidepath.Evals.Scorers;

/// <summary>
/// <c>not_contains</c>: the response contains none of the values (the scorer's <c>values</c>, or else the
/// case's <c>expect.not_contains</c>). Reference-free when <c>values</c> are given, so usable online.
/// </summary>
public sealed class NotContainsScorer(string name, IReadOnlyList<string> values, bool ignoreCase) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var banned = values.Count > 0 ? values : Expectations.Strings(input.Case?.Expect, "not_contains");
        if (banned.Count == 0)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var found = banned.Where(b => input.ResponseText.Contains(b, comparison)).ToList();
        return ValueTask.FromResult<ScoreValue?>(found.Count == 0
            ? ScoreValue.Pass("contains none of the banned values")
            : ScoreValue.Fail("contains: " + string.Join(", ", found.Select(f => $"\"{f}\""))));
    }
}
