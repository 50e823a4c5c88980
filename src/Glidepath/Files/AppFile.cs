using Glidepath.Errors;

namespace Glidepath.Files;

/// <summary>
/// A file the manifest names outside a release (a scorer's JSON schema or rubric, the shadow judge's rubric), read the
/// way release files are: only inside the app folder (no absolute path, no <c>..</c>, no link that leaves it) and only
/// up to the size a whole release may have. A rubric sent to a judge model must not be <c>/etc/passwd</c>.
/// </summary>
public static class AppFile
{
    /// <param name="namedBy">Where the manifest names it, for the message, e.g. <c>eval.scorers</c>.</param>
    public static byte[] Read(string appFolder, string path, string namedBy)
    {
        ArgumentNullException.ThrowIfNull(path);
        var files = new WorkingTreeFileSource(appFolder);
        if (!files.IsInside(path))
        {
            throw new BadInputException($"{path} (named by {namedBy}) is outside the app folder (only files inside it are read); expected a path relative to the manifest, inside its folder");
        }

        try
        {
            if (files.Exists(path))
            {
                return files.ReadAllBytes(path);
            }
        }
        catch (BadInputException ex)
        {
            // A link that leaves the folder, a file too large: the file source's words, with where the manifest names it.
            throw new BadInputException($"{path} (named by {namedBy}): {ex.Message}", ex);
        }

        throw new BadInputException($"{path} (named by {namedBy}) does not exist; expected a path relative to the manifest, inside its folder");
    }
}
