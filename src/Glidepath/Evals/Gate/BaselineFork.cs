namespace Glidepath.Evals.Gate;

/// <summary>
/// The baseline's side of the gate's warnings, and where the checkout forked from it: the manifest's eval section with the
/// files at the baseline's commit (<see cref="Baseline"/>), and at the merge base of <c>HEAD</c> and that commit
/// (<see cref="AtMergeBase"/>). The gate always runs the checkout's rule, dataset and scorers, so a difference from the
/// baseline's is this change's when the fork point has the baseline's value, the base branch's when it has the checkout's
/// (a branch that is only behind), and both when it has neither (<see cref="Attribute"/>). A pull request cut before main
/// moved on is then not blamed for main's edits (outside trial ciflow #1).
/// </summary>
/// <param name="BaselineCommit">The commit <see cref="Baseline"/> was read at.</param>
public sealed record BaselineFork(BaselineEval Baseline, string BaselineCommit)
{
    /// <summary>The revision the baseline was named by (<c>origin/main</c> for <c>git:origin/main</c>); null for another reference.</summary>
    public string? Revision { get; init; }

    /// <summary>The merge base of <c>HEAD</c> and <see cref="BaselineCommit"/>; null when git found none (a shallow clone).</summary>
    public string? MergeBaseCommit { get; init; }

    /// <summary>The eval section and files at <see cref="MergeBaseCommit"/>; null when there is none to read: then who changed what cannot be told.</summary>
    public BaselineEval? AtMergeBase { get; init; }

    /// <summary>"git:origin/main's", or "the baseline's" for a baseline named otherwise.</summary>
    public string BaselineName => Revision is { } rev ? $"git:{rev}'s" : "the baseline's";

    /// <summary>Who moved on since the fork: "origin/main", or "the baseline's commit 1f0c2d3e4a5b".</summary>
    public string BaseName => Revision ?? $"the baseline's commit {Short(BaselineCommit)}";

    /// <summary>Whose eval section the checkout would be gated under after <see cref="MergeAdvice"/>: "origin/main's", or "the baseline's".</summary>
    public string Theirs => Revision is { } rev ? $"{rev}'s" : "the baseline's";

    /// <summary>What puts the checkout on the baseline's eval section: "merge or rebase origin/main".</summary>
    public string MergeAdvice => Revision is { } rev ? $"merge or rebase {rev}" : $"merge or rebase onto the baseline's commit {Short(BaselineCommit)}";

    /// <summary>Why who changed it cannot be told, and, for a clone without the history, how to fetch it.</summary>
    public string UnknownNote => MergeBaseCommit is null
        ? $"git finds no merge base of HEAD and {BaseName}, so it cannot tell which (a shallow clone has none: run git fetch --unshallow, or check out with fetch-depth: 0)"
        : $"the manifest at the merge base {Short(MergeBaseCommit)} has no eval section to tell which by";

    /// <summary>
    /// Who made one value differ (<paramref name="candidate"/>, the checkout's, is not <paramref name="baseline"/>), given the
    /// fork point's <paramref name="mergeBase"/>; null when the fork point is unknown (<paramref name="known"/> false).
    /// </summary>
    public static ChangedBy? Attribute(bool known, string? candidate, string? baseline, string? mergeBase) =>
        !known ? null
        : string.Equals(mergeBase, baseline, StringComparison.Ordinal) ? ChangedBy.ThisChange
        : string.Equals(mergeBase, candidate, StringComparison.Ordinal) ? ChangedBy.BaseBranch
        : ChangedBy.Both;

    /// <summary>Who made a set of differences: one side when every difference is that side's, both when they are mixed, null when any is unknown.</summary>
    public static ChangedBy? Overall(IEnumerable<ChangedBy?> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        ChangedBy? overall = null;
        foreach (var by in each)
        {
            if (by is null)
            {
                return null;
            }

            overall = overall is null || overall == by ? by : ChangedBy.Both;
        }

        return overall;
    }

    internal static string Short(string hex) => hex[..Math.Min(12, hex.Length)];
}
