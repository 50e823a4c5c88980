namespace Glidepath.Git;

/// <summary>
/// The files Glidepath's own store keeps in the app's folder, which the dirty check of a release's provenance leaves out:
/// an app set up without <c>glidepath init</c> has no <c>.gitignore</c>, and the store a command created a minute ago is
/// not an uncommitted change to the app. Nothing else is left out.
/// </summary>
public static class StoreOwnFiles
{
    /// <summary>The default store's folder beside the manifest (<c>.glidepath/glidepath.db</c>).</summary>
    public const string DefaultFolder = ".glidepath";

    /// <summary>The store file itself and the files SQLite keeps beside it while it is open or after a crash.</summary>
    private static readonly string[] Suffixes = ["", "-wal", "-shm", "-journal"];

    /// <summary>
    /// The store's own paths inside <paramref name="appDir"/>, relative to it with <c>/</c> separators: the default store's
    /// folder, and <paramref name="storeFile"/> (the SQLite file in use, relative to the current directory; null for a store
    /// that is not a file) with its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> when it lies inside <paramref name="appDir"/>.
    /// </summary>
    public static IReadOnlyList<string> Under(string appDir, string? storeFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appDir);
        var paths = new List<string>(1 + Suffixes.Length) { DefaultFolder };
        if (string.IsNullOrWhiteSpace(storeFile))
        {
            return paths;
        }

        string relative;
        try
        {
            relative = Path.GetRelativePath(Path.GetFullPath(appDir), Path.GetFullPath(storeFile));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return paths; // a location that is no path names no file here; opening the store says what is wrong with it
        }

        if (Path.IsPathRooted(relative) || relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return paths; // outside the app's folder, which is all the dirty check looks at
        }

        var slashed = relative.Replace(Path.DirectorySeparatorChar, '/');
        if (slashed.StartsWith(DefaultFolder + "/", StringComparison.Ordinal))
        {
            return paths;
        }

        foreach (var suffix in Suffixes)
        {
            paths.Add(slashed + suffix);
        }

        return paths;
    }
}
