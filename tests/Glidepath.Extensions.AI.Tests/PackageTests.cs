using System.Diagnostics;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// The packages as docs/sdk.md says to make them: <c>dotnet pack src/Glidepath.Extensions.AI</c> into a folder, then a new
/// console app that references only <c>Glidepath.Extensions.AI</c> from that folder restores and builds. A trial packed
/// it so and got one package depending on four that were never made: a new app failed to restore (NU1101).
/// </summary>
public sealed class PackageTests
{
    [Fact]
    public async Task Pack_AsDocumented_ANewAppReferencingOnlyTheSdkPackageBuilds()
    {
        // A version of its own: NuGet keeps every version it restored in the global packages folder and would take an
        // earlier pack of the same version from there instead of these packages.
        var version = "1.0.0-packcheck." + Guid.NewGuid().ToString("N")[..12];
        var cache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        using var dir = new TempDir();
        var feed = dir.File("nupkg");
        var app = dir.File("app");
        try
        {
            // Built already (this test project references it), in this test run's configuration.
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var project = Path.Combine(TempDir.RepoRoot(), "src", "Glidepath.Extensions.AI", "Glidepath.Extensions.AI.csproj");
            var pack = await DotnetAsync(dir.Path, "pack", project, "-c", configuration, "--no-build", "-o", feed, $"-p:Version={version}");
            Assert.True(pack.ExitCode == 0, pack.Output);
            Assert.Equal(
                ["Glidepath", "Glidepath.Extensions.AI", "Glidepath.Providers", "Glidepath.Serving", "Glidepath.Storage.Sqlite"],
                Directory.GetFiles(feed, "*.nupkg").Select(f => Path.GetFileName(f)[..^$".{version}.nupkg".Length]).Order(StringComparer.Ordinal));

            // Offline: the Glidepath ids only from the new folder (as docs/sdk.md's nuget.config maps them), every other
            // package from what this machine restored for the solution.
            Directory.CreateDirectory(app);
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="glidepath" value="{feed}" />
                    <add key="machine" value="{cache}" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="glidepath"><package pattern="Glidepath" /><package pattern="Glidepath.*" /></packageSource>
                    <packageSource key="machine"><package pattern="*" /></packageSource>
                  </packageSourceMapping>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Glidepath.Extensions.AI" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                using Glidepath.Extensions.AI;
                using Microsoft.Extensions.AI;
                using Microsoft.Extensions.Logging.Abstractions;

                await using var glidepath = new GlidepathRuntime(new GlidepathOptions { Environment = "production", Manifest = "glidepath.yaml" }, NullLoggerFactory.Instance);
                IChatClient chat = glidepath.CreateChatClient();
                using (GlidepathSubject.Use("alice"))
                {
                    Console.WriteLine(chat.GetType().Name);
                }
                """);

            var build = await DotnetAsync(app, "build", "-c", "Release");

            Assert.True(build.ExitCode == 0, build.Output);
        }
        finally
        {
            foreach (var id in new[] { "glidepath", "glidepath.extensions.ai", "glidepath.providers", "glidepath.serving", "glidepath.storage.sqlite" })
            {
                var restored = Path.Combine(cache, id, version);
                if (Directory.Exists(restored))
                {
                    Directory.Delete(restored, recursive: true);
                }
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [.. args, "--disable-build-servers", "-nologo"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The test host's MSBuild settings (set by 'dotnet test') are not the new app's.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, $"dotnet {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
