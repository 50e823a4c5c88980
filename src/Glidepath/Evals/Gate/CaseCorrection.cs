using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// How the per-case tests were corrected for testing many cases at once: the method, the family-wise
/// error it holds, and how many cases were in the family. Shown by every report.
/// </summary>
public sealed record CaseCorrection
{
    /// <summary>The correction's name: <c>discrete-holm</c> over one-sided Fisher exact p-values.</summary>
    public string Method { get; init; } = "discrete-holm";

    /// <summary>The chance that an unchanged candidate gets any case flagged: (1 − confidence) / 2.</summary>
    public required double FamilyAlpha { get; init; }

    /// <summary>Cases tested with Fisher's exact test (more than one trial on a side, no error).</summary>
    public required int Tested { get; init; }

    /// <summary>Of those, the cases whose margins allow a p-value ≤ <see cref="FamilyAlpha"/> at all.</summary>
    public required int Testable { get; init; }

    /// <summary>Cases with one trial a side, decided by the deterministic rule outside the family.</summary>
    public required int SingleTrial { get; init; }

    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Method} over {Tested} case(s) tested with one-sided Fisher exact ({Testable} could reach significance), family-wise α {FamilyAlpha:0.###}");
        return SingleTrial == 0 ? text : text + string.Create(CultureInfo.InvariantCulture, $"; {SingleTrial} single-trial case(s) by the deterministic rule, uncorrected");
    }
}
