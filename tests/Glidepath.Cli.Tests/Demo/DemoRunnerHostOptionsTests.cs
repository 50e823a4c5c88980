using Glidepath.Cli.Commands;
using Glidepath.Cli.Demo;
using Glidepath.Gateway.Admin;
using Glidepath.Manifests;
using Glidepath.Storage.InMemory;

namespace Glidepath.Cli.Tests.Demo;

/// <summary>
/// "demo --format json" printed a gateway warning (the canary's automatic rollback) before its JSON document: the demo's
/// gateways logged to stdout. The whole demo takes about 90 s, so this checks the wiring: under JSON they log to stderr.
/// </summary>
public sealed class DemoRunnerHostOptionsTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task HostOptions_Json_LogsToStderr(bool json, bool toStderr)
    {
        await using var store = new InMemoryStore();
        var admin = new AdminOptions { Manifest = ManifestParser.Load(Path.Combine(InitCommand.SamplePath(), ManifestParser.FileName)), Store = store };

        var options = DemoRunner.HostOptions(admin, json);

        Assert.Equal(toStderr, options.LogsToStderr);
        Assert.Same(admin, options.Admin);
    }

    // Newcomer trial L14: the demo's gateways hosted a dashboard nobody opened, whose data protection logged "No XML
    // encryptor configured" in the middle of Step 3's narration.
    [Fact]
    public async Task HostOptions_NoDashboard_SoNoDataProtectionWarningInTheStory()
    {
        await using var store = new InMemoryStore();
        var admin = new AdminOptions { Manifest = ManifestParser.Load(Path.Combine(InitCommand.SamplePath(), ManifestParser.FileName)), Store = store };

        var options = DemoRunner.HostOptions(admin, json: false);

        Assert.Null(options.Dashboard);
    }
}
