using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Reads a judge's score from its answer: a JSON object with <c>score</c> (possibly inside prose or a
/// code fence), or a bare number (<c>0.8</c>, <c>Score: 0.8</c>, <c>4/5</c>). Anything else, a score outside [0, 1],
/// or an answer that states another score beside the one read (<c>score: 0.2</c> in the prose, a second JSON object) is
/// unparseable: the caller turns that into an error, never a pass.
/// </summary>
public static partial class JudgeScoreParser
{
    public static bool TryParse(string answer, out double score, out string reason, out string error)
    {
        score = 0;
        reason = "";
        error = "";
        var text = answer.Trim();
        if (text.Length == 0)
        {
            error = "the judge answered nothing";
            return false;
        }

        double? value = null;
        if ((JsonText.ParseWhole(text) ?? JsonText.FindEmbedded(text)) is { ValueKind: JsonValueKind.Object } obj && HasScore(obj))
        {
            // Each "score" the object gives, not only the first or the last: {"score": 0.9, "score": 0.1} is two scores (and
            // the same score twice is one), where a JsonObject threw ArgumentException (trial gatejudge2 LOW 1).
            foreach (var property in obj.EnumerateObject())
            {
                if (property.NameEquals("score"))
                {
                    var s = property.Value;
                    double? read = s.ValueKind == JsonValueKind.Number && s.TryGetDouble(out var n) ? n
                        : s.ValueKind == JsonValueKind.String && double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                        : null;
                    if (read is not { } r)
                    {
                        error = $"the judge's \"score\" is not a number: {Clip(s.GetRawText())}";
                        return false;
                    }

                    if (value is { } first && first != r)
                    {
                        error = TwoScores(first, r, text);
                        return false;
                    }

                    value = r;
                }
                else if (property.NameEquals("reason") && property.Value.ValueKind == JsonValueKind.String && reason.Length == 0)
                {
                    reason = property.Value.GetString() ?? "";
                }
            }
        }
        else if (BareScore().Match(text) is { Success: true } m)
        {
            value = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["d"].Success)
            {
                var denominator = double.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
                value = denominator > 0 ? value / denominator : null;
            }
        }

        if (value is not { } x || double.IsNaN(x))
        {
            error = $"cannot read a score from the judge's answer: \"{Clip(text)}\"; expected {{\"score\": <0..1>, \"reason\": \"...\"}}";
            return false;
        }

        if (x is < 0 or > 1)
        {
            error = $"the judge's score {x.ToString(CultureInfo.InvariantCulture)} is outside 0..1";
            return false;
        }

        if (OtherScore(text, x) is { } other)
        {
            // "Score: 0.2 … actually {"score": 0.9}" was read as 0.9, a pass: which one the judge meant is not ours to pick.
            error = TwoScores(x, other, text);
            return false;
        }

        score = x;
        return true;
    }

    /// <summary>A score the answer states (<c>score: 0.2</c>, <c>"score": 0.9</c>, <c>Score = 4/5</c>) other than <paramref name="read"/>, or null.</summary>
    private static double? OtherScore(string text, double read)
    {
        foreach (Match m in StatedScore().Matches(text))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            var stated = m.Groups["d"].Success ? n / double.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : n;
            if (stated != read)
            {
                return stated;
            }
        }

        return null;
    }

    private static bool HasScore(JsonElement obj)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals("score"))
            {
                return true;
            }
        }

        return false;
    }

    private static string TwoScores(double read, double other, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"the judge's answer states two different scores ({read} and {other}); expected one {{\"score\": <0..1>, \"reason\": \"...\"}}: \"{Clip(text)}\"");

    private static string Clip(string s) => s.Length <= 120 ? s : s[..117] + "...";

    [GeneratedRegex(@"(?<![\p{L}\p{N}_])""?score""?[\s*_]*[:=][\s""*_]*(?<n>-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?:\s*/\s*(?<d>[0-9]+(?:\.[0-9]+)?))?", RegexOptions.IgnoreCase)]
    private static partial Regex StatedScore();

    [GeneratedRegex(@"^(?:score\s*[:=]?\s*)?(?<n>[0-9]+(?:\.[0-9]+)?)\s*(?:/\s*(?<d>[0-9]+(?:\.[0-9]+)?))?\s*\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex BareScore();
}
