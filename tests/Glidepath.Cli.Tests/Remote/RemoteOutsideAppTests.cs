using System.Diagnostics;
using Glidepath.Testing;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// A command that reads the app's manifest, run with --server outside any app folder: a trial got only "no
/// glidepath.yaml … run 'glidepath init'", which says nothing about --server. As a process, in a folder of its own.
/// </summary>
public sealed class RemoteOutsideAppTests
{
    [Fact]
    public async Task ReleaseCreate_WithServerOutsideAnAppFolder_SaysItReadsTheAppsManifestAndCannotGoRemote()
    {
        using var dir = new TempDir();
        for (var up = new DirectoryInfo(dir.Path); up is not null; up = up.Parent)
        {
            Assert.False(File.Exists(Path.Combine(up.FullName, "glidepath.yaml")), $"a glidepath.yaml above the test folder ({up.FullName}) changes what this test runs");
        }

        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Glidepath.Cli.dll"), "release", "create", "-m", "x", "--server", "http://127.0.0.1:9", "--token", "gpt_x" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.BadInput, process.ExitCode);
        Assert.Contains("'release create' reads the app's manifest and cannot talk to --server yet", await stderr, StringComparison.Ordinal);
    }
}
