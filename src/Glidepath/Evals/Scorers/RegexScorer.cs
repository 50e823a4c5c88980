using System.Text.RegularExpressions;

namespace Glidepath.Evals.Scorers;

/// <summary><c>regex</c>: the response matches the scorer's <c>pattern</c>, or else the case's <c>expect.regex</c>.</summary>
public sealed class RegexScorer(string name, string? pattern) : Scorer(name)
{
    private readonly Regex? _fixed = pattern is null ? null : new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var regex = _fixed;
        if (regex is null)
        {
            var p = Expectations.String(input.Case?.Expect, "regex");
            if (p is null)
            {
                return ValueTask.FromResult<ScoreValue?>(null);
            }

            try
            {
                regex = new Regex(p, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new ScorerException($"expect.regex is not a valid regular expression: {ex.Message}");
            }
        }

        try
        {
            return ValueTask.FromResult<ScoreValue?>(regex.IsMatch(input.ResponseText)
                ? ScoreValue.Pass($"matches /{regex}/")
                : ScoreValue.Fail($"does not match /{regex}/"));
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ScorerException($"regex /{regex}/ took longer than 1 s; simplify the pattern");
        }
    }
}
