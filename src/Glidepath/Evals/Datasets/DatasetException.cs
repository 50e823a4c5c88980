using Glidepath.Errors;

namespace Glidepath.Evals.Datasets;

/// <summary>A dataset has bad lines (exit 2). <see cref="Problems"/> lists each as <c>file:line: what; expected …</c>.</summary>
public sealed class DatasetException(IReadOnlyList<string> problems)
    : GlidepathException($"{problems.Count} problem(s) in the dataset:\n" + string.Join('\n', problems), FailureKind.BadInput)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
