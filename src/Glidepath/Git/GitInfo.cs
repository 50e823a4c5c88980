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

    /// <summary>The HEAD commit and whether the work tree has uncommitted changes under <paramref name="dir"/>.</summary>
    public static async Task<(string? Commit, bool Dirty)> ProvenanceAsync(string dir, CancellationToken cancellationToken)
    {
        var commit = await RunAsync(dir, cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false);
        if (commit is null)
        {
            return (null, false);
        }

        var status = await RunAsync(dir, cancellationToken, "status", "--porcelain", "--", ".").ConfigureAwait(false);
        return (commit, !string.IsNullOrWhiteSpace(status));
    }
}
