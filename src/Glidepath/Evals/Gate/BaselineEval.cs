using Glidepath.Files;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>The <c>eval:</c> section of the manifest at the baseline's commit, and the files of that commit (its dataset among them).</summary>
public sealed record BaselineEval(EvalConfig Eval, IFileSource Files)
{
    /// <summary>
    /// The bytes of <paramref name="path"/> (as the manifest names it: <c>./evals/a.jsonl</c> and <c>evals/x/../a.jsonl</c> name
    /// <c>evals/a.jsonl</c>) in these files, or null when it names nothing there: no such file, an absolute path, a path out
    /// of the manifest's folder, a file that cannot be read.
    /// </summary>
    public byte[]? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "commit-root"));
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path, root)).Replace('\\', '/');
        if (Path.IsPathRooted(path) || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || !Files.Exists(relative))
        {
            return null;
        }

        try
        {
            return Files.ReadAllBytes(relative);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Errors.GlidepathException)
        {
            return null;
        }
    }
}
