using Glidepath.Errors;

namespace Glidepath.Shadow;

/// <summary>
/// A pairwise judge's verdict on (stable answer, candidate answer), controlled for position bias: the judge is
/// asked twice, once with each answer first, and the two verdicts are averaged. A judge that always prefers the
/// first answer therefore yields 0.5 (a tie), never a win for whichever side happened to be shown first.
/// </summary>
public static class PairwisePreference
{
    /// <summary>What one judgement said about the candidate: better, a tie, or worse.</summary>
    public enum Verdict
    {
        CandidateWorse,
        Tie,
        CandidateBetter,
    }

    /// <summary>The candidate's score in [0, 1] from the two orders: 1 both say better, 0.5 a tie or a split, 0 both say worse.</summary>
    public static double Combine(Verdict candidateFirst, Verdict candidateSecond) =>
        (Score(candidateFirst) + Score(candidateSecond)) / 2;

    /// <summary>Reads a judge model's answer naming the better answer ("A", "B" or "tie") as a verdict on the candidate.</summary>
    /// <param name="answer">The judge's reply; its first word counts, case-insensitively.</param>
    /// <param name="candidateIsA">True when the candidate was shown as answer A.</param>
    public static Verdict Parse(string answer, bool candidateIsA)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var word = answer.Trim().Split([' ', '\n', '\t', '.', ',', ':'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant();
        return word switch
        {
            "A" => candidateIsA ? Verdict.CandidateBetter : Verdict.CandidateWorse,
            "B" => candidateIsA ? Verdict.CandidateWorse : Verdict.CandidateBetter,
            "TIE" => Verdict.Tie,

            // Fail closed: an answer that names neither is not counted as a tie or a win.
            _ => throw new OperationalException($"pairwise judge answered '{Truncate(answer)}'; expected 'A', 'B' or 'tie' as its first word"),
        };
    }

    private static double Score(Verdict v) => v switch
    {
        Verdict.CandidateBetter => 1,
        Verdict.Tie => 0.5,
        _ => 0,
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
