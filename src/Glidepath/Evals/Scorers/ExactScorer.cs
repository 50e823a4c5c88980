namespace Glidepath.Evals.Scorers;

/// <summary><c>exact</c>: the response (trimmed) equals the case's <c>expect.exact</c>.</summary>
public sealed class ExactScorer(string name, bool ignoreCase) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var expected = Expectations.String(input.Case?.Expect, "exact");
        if (expected is null)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var ok = string.Equals(input.ResponseText.Trim(), expected.Trim(), comparison);
        return ValueTask.FromResult<ScoreValue?>(ok ? ScoreValue.Pass("equals the expected answer") : ScoreValue.Fail($"expected exactly \"{Clip(expected)}\""));
    }

    internal static string Clip(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
