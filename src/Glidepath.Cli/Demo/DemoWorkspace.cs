using System.Diagnostics;
using Glidepath.Cli.Commands;

namespace Glidepath.Cli.Demo;

/// <summary>
/// A throw-away copy of the sample in a temporary folder, under git (when git is installed) so every
/// release the demo makes ties to a clean commit, with its own SQLite store.
/// </summary>
internal sealed class DemoWorkspace : IDisposable
{
    private readonly bool _keep;

    private DemoWorkspace(string path, bool keep)
    {
        Path = path;
        _keep = keep;
    }

    public string Path { get; }

    public string StorePath => System.IO.Path.Combine(Path, ".glidepath", "glidepath.db");

    public bool HasGit { get; private set; }

    public static async Task<DemoWorkspace> CreateAsync(string? keepAt, double latencyScale, CancellationToken cancellationToken)
    {
        var path = keepAt is null
            ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "glidepath-demo-" + Guid.NewGuid().ToString("N")[..8])
            : System.IO.Path.GetFullPath(keepAt);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new Errors.BadInputException($"{path} is not empty; the demo needs an empty folder for --keep");
        }

        Directory.CreateDirectory(path);
        InitCommand.CopyTree(InitCommand.SamplePath(), path);
        var workspace = new DemoWorkspace(path, keepAt is not null);

        // The demo speeds up the simulated model; the option is part of the release like any other.
        workspace.Edit("glidepath.yaml", "    parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n",
            "    parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n" +
            $"    options: {{ latency_scale: {latencyScale.ToString(System.Globalization.CultureInfo.InvariantCulture)} }}\n");
        await File.WriteAllTextAsync(System.IO.Path.Combine(path, ".gitignore"), ".glidepath/\n", cancellationToken).ConfigureAwait(false);
        workspace.HasGit = await workspace.GitAsync(cancellationToken, "init", "-q").ConfigureAwait(false)
            && await workspace.CommitAsync("support-agent sample", cancellationToken).ConfigureAwait(false);
        return workspace;
    }

    public string Read(string relative) => File.ReadAllText(System.IO.Path.Combine(Path, relative));

    /// <summary>Replaces <paramref name="oldText"/> (which must be present) in a file of the workspace.</summary>
    public void Edit(string relative, string oldText, string newText)
    {
        var file = System.IO.Path.Combine(Path, relative);
        var text = File.ReadAllText(file);
        if (!text.Contains(oldText, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"demo edit: '{oldText.Trim()}' not found in {relative}");
        }

        File.WriteAllText(file, text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public async Task<bool> CommitAsync(string message, CancellationToken cancellationToken) =>
        await GitAsync(cancellationToken, "add", "-A").ConfigureAwait(false)
        && await GitAsync(cancellationToken, "-c", "user.name=Glidepath Demo", "-c", "user.email=demo@glidepath.invalid", "commit", "-q", "--allow-empty", "-m", message).ConfigureAwait(false);

    private async Task<bool> GitAsync(CancellationToken cancellationToken, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi)!;
            await p.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await p.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
