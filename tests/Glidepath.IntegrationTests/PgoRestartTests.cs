namespace Glidepath.IntegrationTests;

/// <summary>
/// <c>glidepath serve</c> runs with tiered PGO on although the CLI's runtimeconfig turns it off: on Linux the process
/// re-executes itself in place (same PID, same arguments) with <c>DOTNET_TieredPGO=1</c> (PgoRestart, docs/benchmarks.md).
/// </summary>
public sealed class PgoRestartTests : IAsyncLifetime
{
    private SampleApp _app = null!;

    public async Task InitializeAsync() => _app = await SampleApp.CreateAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Serve_OnLinux_RunsInTheSameProcessWithTieredPgoOnAndServes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // execve and /proc are Linux's: elsewhere serve runs as started (documented).
        }

        var config = File.ReadAllText(Path.Combine(Path.GetDirectoryName(GatewayProcess.CliDllPath())!, "Glidepath.Cli.runtimeconfig.json"));
        Assert.Contains("\"System.Runtime.TieredPGO\": false", config, StringComparison.Ordinal);

        await using var gateway = await GatewayProcess.StartAsync(_app.ManifestPath, Path.Combine(_app.Directory, ".glidepath", "glidepath.db"), "staging");
        var environment = File.ReadAllText($"/proc/{gateway.Pid}/environ").Split('\0');
        Assert.Contains("DOTNET_TieredPGO=1", environment);
        var commandLine = File.ReadAllText($"/proc/{gateway.Pid}/cmdline").Split('\0');
        Assert.Contains("serve", commandLine);

        using var http = new HttpClient();
        using var health = await http.GetAsync(gateway.Url + "/healthz");
        Assert.True(health.IsSuccessStatusCode, gateway.Output);
    }
}
