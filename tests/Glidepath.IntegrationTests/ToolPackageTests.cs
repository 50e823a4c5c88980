using System.Diagnostics;

namespace Glidepath.IntegrationTests;

/// <summary>
/// The README's install-as-a-tool commands on this build: pack the CLI, install it into a temporary tool path from
/// that folder only, and run it (issue 21 item 13: the pack used to fail with NU5118, each sample file added twice).
/// </summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task PackAndInstall_FromTheBuild_RunsVersionAndInit()
    {
        using var tmp = new TempDir();
        var nupkg = tmp.File("nupkg");
        var tools = tmp.File("tools");
        var project = Path.Combine(TempDir.RepoRoot(), "src", "Glidepath.Cli", "Glidepath.Cli.csproj");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

        var pack = await RunAsync("dotnet", tmp.Path, "pack", project, "-c", configuration, "--no-build", "-o", nupkg, "-nologo");
        Assert.True(pack.Exit == 0, pack.Output);
        Assert.Single(Directory.GetFiles(nupkg, "Glidepath.Cli.*.nupkg"));

        // A package folder of its own, so the install takes this build's package, never a cached one of the same version.
        var install = await RunAsync("dotnet", tmp.Path, new Dictionary<string, string> { ["NUGET_PACKAGES"] = tmp.File("packages") },
            "tool", "install", "Glidepath.Cli", "--tool-path", tools, "--add-source", nupkg);
        Assert.True(install.Exit == 0, install.Output);

        var glidepath = Path.Combine(tools, OperatingSystem.IsWindows() ? "glidepath.exe" : "glidepath");
        var version = await RunAsync(glidepath, tmp.Path, "--version");
        Assert.True(version.Exit == 0, version.Output);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output.Trim());

        var init = await RunAsync(glidepath, tmp.Path, "init", "my-agent");
        Assert.True(init.Exit == 0, init.Output);
        Assert.True(File.Exists(tmp.File(Path.Combine("my-agent", "glidepath.yaml"))), init.Output);
    }

    private static Task<(int Exit, string Output)> RunAsync(string file, string workingDirectory, params string[] args) =>
        RunAsync(file, workingDirectory, new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Output)> RunAsync(string file, string workingDirectory, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
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

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
