namespace Glidepath.Files;

/// <summary>
/// Resolves every symbolic link along a path (not only the last one), as <c>realpath(3)</c> does, so a
/// path can be checked against the folder it must stay in. A chain of more than <see cref="MaxLinks"/>
/// links is treated as a cycle.
/// </summary>
internal static class RealPath
{
    public const int MaxLinks = 40;

    /// <summary>The path with every link resolved, or null when a link chain loops (or is too long).</summary>
    public static string? Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var pending = new List<string>(Split(full, root));
        var current = root;
        var links = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var next = Path.Combine(current, pending[i]);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            // Continue from the link's target, then with what is left of the path.
            var targetFull = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
            var rest = pending.Skip(i + 1).ToList();
            root = Path.GetPathRoot(targetFull)!;
            pending = [.. Split(targetFull, root), .. rest];
            current = root;
            i = -1;
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies inside it (both real paths).</summary>
    public static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string[] Split(string full, string root) =>
        full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
}
