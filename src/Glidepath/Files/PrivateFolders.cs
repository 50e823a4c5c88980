namespace Glidepath.Files;

/// <summary>
/// The app folder's own folders that never go into a release: <c>.glidepath</c> (the store: every environment's traces,
/// the subject key) and <c>.git</c> (git's internals: its remotes' credentials). Globs skip them; a path named outright
/// in the manifest, or a link whose target lies in one, is refused.
/// </summary>
public static class PrivateFolders
{
    /// <summary><c>.glidepath</c> or <c>.git</c> (as written) when <paramref name="path"/> lies in one of them, else null.</summary>
    public static string? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var segment in path.Split('/', '\\'))
        {
            if (segment.Equals(".glidepath", StringComparison.OrdinalIgnoreCase) || segment.Equals(".git", StringComparison.OrdinalIgnoreCase))
            {
                return segment;
            }
        }

        return null;
    }

    /// <summary>Why a path in <paramref name="folder"/> is refused, for an error message: "is inside .git (git's own files), which never goes into a release".</summary>
    public static string Refusal(string folder) =>
        $"is inside {folder} ({(folder.Equals(".git", StringComparison.OrdinalIgnoreCase) ? "git's own files" : "the store's folder")}), which never goes into a release";
}
