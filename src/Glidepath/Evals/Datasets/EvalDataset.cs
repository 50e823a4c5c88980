namespace Glidepath.Evals.Datasets;

/// <summary>A loaded dataset: its cases in file order and the sha256 of the file's bytes, recorded with every run.</summary>
public sealed record EvalDataset(string Path, string Sha256, IReadOnlyList<EvalCase> Cases)
{
    /// <summary>The cases carrying at least one of <paramref name="tags"/> (all cases when none are given).</summary>
    public EvalDataset WithTags(IReadOnlyCollection<string> tags) =>
        tags.Count == 0 ? this : this with { Cases = Cases.Where(c => Carries(c, tags)).ToList() };

    /// <summary>Whether <paramref name="evalCase"/> is selected by <paramref name="tags"/>: it carries one of them, or none are given.</summary>
    public static bool Carries(EvalCase evalCase, IReadOnlyCollection<string> tags)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        ArgumentNullException.ThrowIfNull(tags);
        return tags.Count == 0 || evalCase.Tags.Any(tags.Contains);
    }
}
