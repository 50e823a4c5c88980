using System.Text.RegularExpressions;
using Glidepath.Errors;

namespace Glidepath.Cli;

/// <summary>
/// Where an output file (<c>gate --report</c>, <c>evalset import --out</c>) may not be written: through a symbolic link
/// that lies inside the checkout. In CI the report's path is usually in a pull request's checkout, and a link there
/// (<c>gate.md</c> itself, or a folder on the way) could point the write at any file the runner can write
/// (<c>~/.ssh/authorized_keys</c>) with lines the pull request chose (a case id). Links are judged where they really
/// are: the path is followed link by link as the kernel follows it, so a spelling through a link outside the checkout
/// (<c>$WORKSPACE</c> through a linked folder, <c>/proc/self/cwd/…</c>) reaches the same check. A link outside the
/// checkout (a runner's temp folder) is the user's own and is followed; the file named last is never a link.
/// </summary>
internal static partial class OutputLinks
{
    private const int MaxLinks = 40;

    /// <summary>Streams written in place by the name given: standard output and error, the null device, the terminal, a descriptor.</summary>
    [GeneratedRegex(@"^(/dev/(stdout|stderr|null|tty|fd/[0-9]+)|/proc/(self|[0-9]+)/fd/[0-9]+)$")]
    private static partial Regex Stream();

    /// <summary>
    /// True for a stream named outright (<c>/dev/stdout</c>, <c>/dev/null</c>, a process substitution's
    /// <c>/dev/fd/63</c>, <c>/proc/self/fd/1</c>). Not every path under /dev or /proc: <c>/proc/self/cwd/gate.md</c> is an
    /// ordinary file reached through a link, and <c>/dev/shm</c> an ordinary folder.
    /// </summary>
    public static bool IsStream(string full) => !OperatingSystem.IsWindows() && Stream().IsMatch(full);

    /// <summary>Throws (exit 2) when <paramref name="full"/> is a link, or its way there passes a link inside <paramref name="checkout"/>.</summary>
    public static void Refuse(string path, string full, string option, string checkout)
    {
        if (new FileInfo(full).LinkTarget is { } target)
        {
            throw new BadInputException($"{option} '{path}': is a symbolic link (to {target}); a report is not written through a link, since a checkout can point one at any file: remove the link or choose another path");
        }

        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(checkout));
        if (Walk(System.IO.Path.GetDirectoryName(full)!, root, 0).Link is { } link)
        {
            throw new BadInputException($"{option} '{path}': goes through {link}, a symbolic link inside the checkout ({checkout}); a report is not written through a link, since a checkout can point one anywhere: choose a path without it");
        }
    }

    /// <summary>
    /// The git work tree <paramref name="folder"/> lies in (the nearest folder upwards holding <c>.git</c>), else the
    /// folder itself: CI may run in a subfolder of the checkout (a monorepo's service) and name a report above it.
    /// </summary>
    /// <remarks>Returned as its real path (no link in it): links are judged where they really are.</remarks>
    public static string Checkout(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var git = System.IO.Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return RealPath(dir.FullName);
            }
        }

        return RealPath(folder);
    }

    /// <summary>
    /// The current folder as the shell spelled it (<paramref name="pwd"/>, its <c>$PWD</c>) when that names the same
    /// folder as the process's own (<paramref name="physical"/>, which has every link resolved), else
    /// <paramref name="physical"/>. A CI step that did <c>cd services/api</c>, where the checkout made <c>services/api</c>
    /// a link to <c>~/.ssh</c>, is then in <c>services/api</c> of the checkout, not in <c>~/.ssh</c>: a relative report
    /// path goes through that link and is refused. A <c>$PWD</c> naming another folder (stale, or set by hand) is ignored.
    /// </summary>
    public static string CurrentFolder(string? pwd, string physical)
    {
        if (OperatingSystem.IsWindows() || pwd is not { Length: > 1 } || !System.IO.Path.IsPathFullyQualified(pwd))
        {
            return physical;
        }

        try
        {
            var logical = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(pwd));
            // The process's own folder has no link in it (getcwd resolves them all).
            return logical != physical && RealPath(logical) == physical ? logical : physical;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return physical;
        }
    }

    internal static string RealPath(string folder) => Walk(System.IO.Path.GetFullPath(folder), null, 0).Real;

    /// <summary>
    /// Follows <paramref name="folder"/> component by component from the root, replacing each link by its target (as
    /// the kernel does): the first link whose own location lies inside <paramref name="root"/> (null when none), and
    /// the folder's real path. More than <see cref="MaxLinks"/> links (a cycle) counts as a link found.
    /// </summary>
    private static (string? Link, string Real) Walk(string folder, string? root, int depth)
    {
        var real = System.IO.Path.GetPathRoot(folder) ?? "/";
        foreach (var part in folder[real.Length..].Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = System.IO.Path.Combine(real, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                real = next;
                continue;
            }

            if (Inside(next, root) || depth >= MaxLinks)
            {
                return (Inside(next, root) ? System.IO.Path.GetRelativePath(root!, next) : next, next);
            }

            var resolved = Walk(System.IO.Path.GetFullPath(target, real), root, depth + 1);
            if (resolved.Link is not null)
            {
                return resolved;
            }

            real = resolved.Real;
        }

        return (null, real);
    }

    private static bool Inside(string path, string? root) =>
        root is not null && (root == "/" || path == root || path.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal));
}
