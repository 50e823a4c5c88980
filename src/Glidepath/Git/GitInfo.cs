using System.Diagnostics;

namespace Glidepath.Git;

/// <summary>Reads provenance from git by running the <c>git</c> executable; null when not in a work tree.</summary>
public static class GitInfo
{
    public static async Task<string?> RunAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args)
    {
        var result = await RunBytesAsync(workingDirectory, cancellationToken, args).ConfigureAwait(false);
        return result is null ? null : System.Text.Encoding.UTF8.GetString(result).TrimEnd('\n', '\r');
    }

    public static async Task<byte[]?> RunBytesAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            using var ms = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(ms, cancellationToken);
            var err = process.StandardError.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(copy, err).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? ms.ToArray() : null;
        }
    }

    /// <summary>Synchronous variant for <see cref="Files.IFileSource"/> reads of one blob.</summary>
    public static byte[]? RunBytes(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi);
        if (process is null)
        {
            return null;
        }

        using var ms = new MemoryStream();
        _ = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(ms);
        process.WaitForExit();
        return process.ExitCode == 0 ? ms.ToArray() : null;
    }

    /// <summary>
    /// The HEAD commit and whether the work tree has uncommitted changes under <paramref name="dir"/>, from one
    /// <c>git status</c> (its branch header names the commit): (null, false) outside a work tree or before the first commit.
    /// </summary>
    public static Task<(string? Commit, bool Dirty)> ProvenanceAsync(string dir, CancellationToken cancellationToken) =>
        ProvenanceAsync(dir, [], cancellationToken);

    /// <summary>
    /// As <see cref="ProvenanceAsync(string, CancellationToken)"/>, leaving out <paramref name="excluded"/>: paths relative
    /// to <paramref name="dir"/> (a folder stands for everything in it) whose changes do not make the tree dirty.
    /// </summary>
    public static async Task<(string? Commit, bool Dirty)> ProvenanceAsync(string dir, IReadOnlyList<string> excluded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var args = new List<string>(5 + excluded.Count) { "status", "--porcelain=v2", "--branch", "--", "." };
        foreach (var path in excluded)
        {
            // literal: a store named with *, ? or [ in its path is that file, not a pattern.
            args.Add(":(exclude,literal)" + path);
        }

        var status = await RunAsync(dir, cancellationToken, [.. args]).ConfigureAwait(false);
        return status is null ? (null, false) : ParseStatus(status);
    }

    /// <summary>
    /// The paths (as <c>git status</c> names them, relative to the repository's top) whose changes make the work tree
    /// under <paramref name="dir"/> dirty, leaving out <paramref name="excluded"/> as <see cref="ProvenanceAsync(string, IReadOnlyList{string}, CancellationToken)"/>
    /// does: for a warning that names what to commit or ignore (trial newcomer2 M4: an untracked gate.md made every
    /// release dirty, and the warning did not say which file). Empty outside a work tree.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ChangedPathsAsync(string dir, IReadOnlyList<string> excluded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var args = new List<string>(5 + excluded.Count) { "status", "--porcelain=v1", "-z", "--", "." };
        args.AddRange(excluded.Select(path => ":(exclude,literal)" + path));
        var status = await RunAsync(dir, cancellationToken, [.. args]).ConfigureAwait(false);
        return status is null ? [] : ParseChangedPaths(status);
    }

    /// <summary>Reads <c>git status --porcelain=v1 -z</c>: "XY path", NUL-separated; a rename's entry is followed by its old path.</summary>
    internal static IReadOnlyList<string> ParseChangedPaths(string status)
    {
        var paths = new List<string>();
        var entries = status.Split('\0');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.Length < 4)
            {
                continue;
            }

            paths.Add(entry[3..]);
            if (entry[0] is 'R' or 'C')
            {
                i++; // the old path of a rename or copy
            }
        }

        return paths;
    }

    /// <summary>Reads <c>git status --porcelain=v2 --branch</c>: the <c># branch.oid</c> header, and any entry line means changes.</summary>
    internal static (string? Commit, bool Dirty) ParseStatus(string status)
    {
        string? commit = null;
        var dirty = false;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("# branch.oid ", StringComparison.Ordinal))
            {
                var oid = line["# branch.oid ".Length..].Trim();
                commit = oid == "(initial)" ? null : oid;
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                dirty = true;
            }
        }

        return commit is null ? (null, false) : (commit, dirty);
    }
}
