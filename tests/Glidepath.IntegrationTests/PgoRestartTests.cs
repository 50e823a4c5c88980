namespace Glidepath.IntegrationTests;

/// <summary>
/// <c>glidepath serve</c> runs with tiered PGO on although the CLI's runtimeconfig turns it off: on Linux the process
/// re-executes itself in place (same PID, name and arguments) with <c>DOTNET_TieredPGO=1</c> (PgoRestart,
/// docs/gateway.md "Host settings").
/// </summary>
public sealed class PgoRestartTests : IAsyncLifetime
{
    private SampleApp _app = null!;

    public async Task InitializeAsync() => _app = await SampleApp.CreateAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string Store => Path.Combine(_app.Directory, ".glidepath", "glidepath.db");

    [Fact]
    public async Task Serve_OnLinux_SameProcessNameAndPid_TieredPgoOn_DiagnosticsSocketListening_Serves()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // execve and /proc are Linux's: elsewhere serve runs as started (documented).
        }

        var config = File.ReadAllText(Path.Combine(Path.GetDirectoryName(GatewayProcess.CliDllPath())!, "Glidepath.Cli.runtimeconfig.json"));
        Assert.Contains("\"System.Runtime.TieredPGO\": false", config, StringComparison.Ordinal);

        await using var gateway = await GatewayProcess.StartAsync(_app.ManifestPath, Store, "staging");
        Assert.Contains("DOTNET_TieredPGO=1", Environ(gateway.Pid));
        Assert.Contains("serve", File.ReadAllText($"/proc/{gateway.Pid}/cmdline").Split('\0'));

        // Named after the host binary it was started as (not "exe"), so ps, pgrep and exporters still find it.
        Assert.Equal("dotnet", File.ReadAllText($"/proc/{gateway.Pid}/comm").Trim());

        // The runtime's diagnostics endpoint (dotnet-counters, dotnet-trace) is there for the re-executed image too.
        Assert.Contains(File.ReadLines($"/proc/{gateway.Pid}/net/unix"), l => l.Contains($"dotnet-diagnostic-{gateway.Pid}-", StringComparison.Ordinal));

        await AssertServesAsync(gateway);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    public async Task Serve_DotnetTieredPgoAlreadyPresent_RunsAsStartedWithoutReExecuting(string value)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var gateway = await GatewayProcess.StartAsync(_app.ManifestPath, Store, "staging", new Dictionary<string, string> { ["DOTNET_TieredPGO"] = value });

        var pgo = Environ(gateway.Pid).Where(v => v.StartsWith("DOTNET_TieredPGO=", StringComparison.Ordinal)).ToList();
        Assert.Equal(["DOTNET_TieredPGO=" + value], pgo);
        await AssertServesAsync(gateway);
    }

    private static string[] Environ(int pid) => File.ReadAllText($"/proc/{pid}/environ").Split('\0');

    private static async Task AssertServesAsync(GatewayProcess gateway)
    {
        using var http = new HttpClient();
        using var health = await http.GetAsync(gateway.Url + "/healthz");
        Assert.True(health.IsSuccessStatusCode, gateway.Output);
    }
}
