using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The warning for a gate that decides its cases on one trial a side with an <c>llm_judge</c>. One trial is the
/// deterministic rule (passed on the baseline, failed on the candidate is a regression), meant for answers that do not
/// vary; a judge's verdict varies on the same answer, so its noise alone makes regressions: in an outside trial
/// (gatejudge M5) a candidate byte-identical to its baseline was blocked 3 runs in 3, with 20–38 cases "regressed".
/// </summary>
public static class JudgeNoise
{
    /// <summary>The warning, or null: more than one trial a side, no judge, or the release compared with itself (which runs once).</summary>
    public static string? Warning(int trials, IReadOnlyList<JudgeIdentity> judges, bool sameContent)
    {
        ArgumentNullException.ThrowIfNull(judges);
        if (trials != 1 || judges.Count == 0 || sameContent)
        {
            return null;
        }

        return $"1 trial a side with an llm_judge ({string.Join(", ", judges.Select(j => j.Model).Distinct(StringComparer.Ordinal))}): " +
               "the judge's own noise alone can fail a case on one side and pass it on the other, and at 1 trial that is a case " +
               "regression, even for a candidate whose answers equal the baseline's. Use --trials (eval.trials) of at least the " +
               "figure 'glidepath gate --plan' gives for the drop you need to see";
    }
}
