using Glidepath.Errors;

namespace Glidepath.Files;

/// <summary>
/// Files of the working tree under the manifest's folder. Symbolic links are resolved to real paths: a
/// file, prompt or folder whose target lies outside the app folder, or a link cycle, is bad input naming
/// the link, so nothing outside the app enters a release.
/// </summary>
public sealed class WorkingTreeFileSource(string root) : IFileSource
{
    /// <summary>Most files a glob may list under the app folder (links to folders included).</summary>
    public const int MaxFiles = 100_000;

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", ".glidepath", "bin", "obj", "node_modules" };

    private readonly Dictionary<string, string> _refused = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The app folder with its own links resolved.</summary>
    public string RealRoot { get; } = RealPath.Resolve(Path.GetFullPath(root)) ?? Path.GetFullPath(root);

    public string Origin => Root;

    public bool Exists(string relativePath) => IsInside(relativePath) && File.Exists(Real(relativePath));

    public bool IsFolder(string relativePath) => IsInside(relativePath) && Directory.Exists(Real(relativePath));

    public byte[] ReadAllBytes(string relativePath)
    {
        if (!IsInside(relativePath))
        {
            throw new FileNotFoundException($"'{relativePath}' is outside the manifest's folder");
        }

        var real = Real(relativePath);
        if (!File.Exists(real))
        {
            throw new BadInputException($"'{relativePath}' does not exist or is not a file (a dangling link?); expected a file inside the app folder");
        }

        return BoundedFile.ReadAllBytes(real, Releases.ReleaseBuilder.MaxBytes)
            ?? throw new BadInputException($"'{relativePath}' is larger than a whole release may be ({Releases.ReleaseBuilder.MaxBytes / (1024 * 1024)} MiB); expected prompts, tools and agent files, not data");
    }

    public IReadOnlyList<string> ListFiles()
    {
        var result = new List<string>();
        Walk(Root, RealRoot, [RealRoot], result);
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private void Walk(string dir, string realDir, List<string> ancestors, List<string> result)
    {
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            Add(file, result);
        }

        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (SkippedFolders.Contains(Path.GetFileName(sub)))
            {
                continue;
            }

            var realSub = Path.Combine(realDir, Path.GetFileName(sub));
            if (new DirectoryInfo(sub).LinkTarget is not null)
            {
                // A linked folder is listed as itself when it leaves the app folder or loops, so that a glob
                // matching it fails naming the link (an unrelated link elsewhere in the tree is harmless).
                var target = RealPath.Resolve(sub);
                var rel = Relative(sub);
                if (target is null || ancestors.Any(a => RealPath.IsInside(a, target)))
                {
                    _refused[rel] = $"'{rel}' is a symbolic link cycle; expected links that end at a file or folder";
                    result.Add(rel);
                    continue;
                }

                if (!RealPath.IsInside(target, RealRoot))
                {
                    _refused[rel] = Outside(rel, target);
                    result.Add(rel);
                    continue;
                }

                realSub = target;
            }

            Walk(sub, realSub, [.. ancestors, realSub], result);
        }
    }

    private void Add(string file, List<string> result)
    {
        if (result.Count >= MaxFiles)
        {
            throw new BadInputException($"more than {MaxFiles:N0} files under {Root} (following links); expected a smaller app folder or narrower globs");
        }

        result.Add(Relative(file));
    }

    /// <summary>The real path of a file the release names; refuses links that leave the app folder or loop.</summary>
    private string Real(string relativePath)
    {
        var normalized = relativePath.Replace('\\', '/');
        foreach (var (link, why) in _refused)
        {
            if (normalized == link || normalized.StartsWith(link + "/", StringComparison.Ordinal))
            {
                throw new BadInputException(why);
            }
        }

        var full = Full(relativePath);
        var real = RealPath.Resolve(full);
        if (real is null)
        {
            throw new BadInputException($"'{relativePath}' is a symbolic link cycle; expected links that end at a file or folder");
        }

        if (!RealPath.IsInside(real, RealRoot))
        {
            throw new BadInputException(Outside(relativePath, real));
        }

        if (PrivateFolders.Of(Path.GetRelativePath(RealRoot, real)) is { } folder)
        {
            // Named outright (the manifest's check refuses that first) or a link named like any file whose target is there.
            throw new BadInputException(PrivateFolders.Of(relativePath) is not null
                ? $"'{relativePath}' {PrivateFolders.Refusal(folder)}; expected prompts, tools and agent files"
                : $"'{relativePath}' is a symbolic link to {real}, which {PrivateFolders.Refusal(folder)}; expected prompts, tools and agent files");
        }

        return real;
    }

    private string Outside(string relativePath, string real) =>
        $"'{relativePath}' is a symbolic link to {real}, outside the app folder {RealRoot}; expected every file a release names to lie inside the app folder";

    private string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private string Full(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>Whether a path relative to the app folder stays in it as written (not absolute, no <c>..</c> out of it); links are checked where they are read.</summary>
    public bool IsInside(string relativePath)
    {
        var full = Full(relativePath);
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
