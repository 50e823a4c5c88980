using Glidepath.Errors;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// A dataset has bad lines (exit 2). <see cref="Problems"/> lists each as <c>file:line: what; expected …</c>; past the most
/// the checks list, the message gives the true count and how many more there are (<paramref name="unlisted"/>).
/// </summary>
public sealed class DatasetException(IReadOnlyList<string> problems, int unlisted = 0)
    : GlidepathException(Describe(problems, unlisted), FailureKind.BadInput)
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>Problems found but not in <see cref="Problems"/>.</summary>
    public int Unlisted { get; } = unlisted;

    private static string Describe(IReadOnlyList<string> problems, int unlisted) => unlisted == 0
        ? $"{problems.Count} problem(s) in the dataset:\n" + string.Join('\n', problems)
        : $"{problems.Count + unlisted} problem(s) in the dataset, the first {problems.Count} shown:\n" + string.Join('\n', problems) +
          $"\n… and {unlisted} more (fix those shown and check again)";
}
