using Glidepath.Files;

namespace Glidepath.Git;

/// <summary>Files as they were at a git revision, read with <c>git show</c>, never touching the work tree.</summary>
public sealed class GitRevisionFileSource : IFileSource
{
    private readonly string _repoRoot;
    private readonly string _prefix;
    private readonly string _commit;
    private readonly IReadOnlyList<string> _files;
    private readonly Dictionary<string, byte[]> _cache = new(StringComparer.Ordinal);

    private GitRevisionFileSource(string repoRoot, string prefix, string commit, IReadOnlyList<string> files)
    {
        _repoRoot = repoRoot;
        _prefix = prefix;
        _commit = commit;
        _files = files;
    }

    public string Commit => _commit;

    public string Origin => $"git:{_commit[..Math.Min(12, _commit.Length)]}";

    /// <summary>Opens revision <paramref name="rev"/> for the manifest folder <paramref name="manifestDir"/>.</summary>
    public static async Task<GitRevisionFileSource> OpenAsync(string manifestDir, string rev, CancellationToken cancellationToken)
    {
        if (rev.StartsWith('-'))
        {
            // Never an option to git: a revision is a commit, branch or tag, and none starts with '-'.
            throw new Errors.BadInputException($"git revision '{rev}' starts with '-'; expected a commit, branch or tag");
        }

        var root = await GitInfo.RunAsync(manifestDir, cancellationToken, "rev-parse", "--show-toplevel").ConfigureAwait(false)
            ?? throw new Errors.BadInputException($"'git:{rev}' needs a git work tree, but {manifestDir} is not inside one");
        var commit = await GitInfo.RunAsync(manifestDir, cancellationToken, "rev-parse", "--verify", "--quiet", rev + "^{commit}").ConfigureAwait(false)
            ?? throw new Errors.BadInputException($"git revision '{rev}' does not exist; expected a commit, branch or tag");
        var prefix = Path.GetRelativePath(root, manifestDir).Replace('\\', '/');
        prefix = prefix == "." ? "" : prefix + "/";
        var list = await GitInfo.RunAsync(root, cancellationToken, "ls-tree", "-r", "--name-only", commit, "--", prefix == "" ? "." : prefix).ConfigureAwait(false) ?? "";
        var files = list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => f.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => f[prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
        return new GitRevisionFileSource(root, prefix, commit, files);
    }

    public bool Exists(string relativePath) => _files.Contains(relativePath);

    public bool IsFolder(string relativePath)
    {
        var prefix = relativePath.TrimEnd('/') + "/";
        return _files.Any(f => f.StartsWith(prefix, StringComparison.Ordinal));
    }

    public byte[] ReadAllBytes(string relativePath)
    {
        if (_cache.TryGetValue(relativePath, out var cached))
        {
            return cached;
        }

        if (!Exists(relativePath))
        {
            throw new FileNotFoundException($"'{relativePath}' does not exist at {Origin}");
        }

        var bytes = GitInfo.RunBytes(_repoRoot, "show", $"{_commit}:{_prefix}{relativePath}")
            ?? throw new FileNotFoundException($"could not read '{relativePath}' at {Origin}");
        _cache[relativePath] = bytes;
        return bytes;
    }

    public IReadOnlyList<string> ListFiles() => _files;
}
