using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Gateway;

/// <summary>`serve` and `dashboard` refuse a listen URL Kestrel cannot use with one line and exit 2, and under --format json their stdout is JSON only.</summary>
public sealed class ServeListenTests
{
    [Theory]
    [InlineData("notaurl", "is not an http:// or https:// URL")]
    [InlineData("ftp://127.0.0.1:4318", "is not an http:// or https:// URL")]
    [InlineData("http://127.0.0.1:99999", "has port '99999', not a number from 0 to 65535")]
    [InlineData("http://127.0.0.1:http", "has port 'http'")]
    [InlineData("http://127.0.0.1:4000/v1", "has a path")]
    [InlineData("http://:4000", "has no host")]
    public async Task Serve_ListenUrlKestrelCannotUse_OneLineExit2(string url, string problem)
    {
        await using var app = await EnvApp.CreateAsync(1); // a store to serve from (a new one would be announced on stderr)

        var (code, stdout, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", url);
        var (jsonCode, json, _) = await app.RunAsync("serve", "--env", "staging", "--urls", url, "--format", "json");

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {stderr}");
        Assert.StartsWith($"error: listen URL '{url}' {problem}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.Equal(ExitCodes.BadInput, jsonCode);
        using var doc = JsonDocument.Parse(json);
        Assert.StartsWith($"listen URL '{url}'", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    // The built-in drift check's window and reference are checked as monitor's own --window and --reference are.
    [Theory]
    [InlineData("--monitor-window", "0m", "--monitor-window")]
    [InlineData("--monitor-window", "2d", "--monitor-window '2d' must be whole minutes and at most 1d")]
    [InlineData("--monitor-window", "90s", "--monitor-window '90s' must be whole minutes and at most 1d")]
    [InlineData("--monitor-reference", "month", "--monitor-reference 'month' is not day or week")]
    public async Task Serve_MonitorWindowOrReferenceMonitorWouldRefuse_OneLineExit2(string option, string value, string problem)
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (code, stdout, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", option, value);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {stderr}");
        Assert.Contains(problem, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("soon")]
    [InlineData("100000h")]
    public async Task Serve_StaleCanaryLimitNotAPositiveDuration_OneLineExit2(string limit)
    {
        await using var app = await EnvApp.CreateAsync(1); // a store to serve from (a new one would be announced on stderr)

        var (code, _, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", "--stale-canary-limit", limit);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {stderr}");
        Assert.StartsWith($"error: --stale-canary-limit '{limit}' is not a duration above zero and at most 3650 days, or 'off'", stderr, StringComparison.Ordinal);
    }

    // Keys required and none exists: refused before the host starts, so no host log (with its stack trace) comes first.
    [Theory]
    [InlineData("--require-keys", "http://127.0.0.1:0")]
    [InlineData(null, "http://0.0.0.0:0")]
    public async Task Serve_KeysRequiredButNone_OneLineExit4WithoutTheHostsLog(string? flag, string url)
    {
        await using var app = await EnvApp.CreateAsync(1); // a store to serve from (a new one would be announced on stderr)

        var (code, stdout, stderr) = flag is null
            ? await app.RunAsync("serve", "--env", "staging", "--urls", url)
            : await app.RunAsync("serve", "--env", "staging", flag, "--urls", url);

        Assert.True(code == ExitCodes.Refused, $"exit {code}: {stdout}\n{stderr}");
        Assert.StartsWith("error: the gateway for 'staging' requires callers' keys", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Dashboard_ListenUrlKestrelCannotUse_Exit2()
    {
        await using var app = await EnvApp.CreateAsync(1); // a store to serve from (a new one would be announced on stderr)

        var (code, _, stderr) = await app.RunAsync("dashboard", "--urls", "notaurl");

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {stderr}");
        Assert.Contains("listen URL 'notaurl' is not an http:// or https:// URL", stderr, StringComparison.Ordinal);
    }

    // The port is taken: the host's own "failed to start" log lines go to stderr under --format json, so stdout is the
    // error object alone (they used to come first on stdout and make it unparseable).
    [Fact]
    public async Task Serve_PortInUse_FormatJson_StdoutIsOnlyTheJsonError()
    {
        await using var app = await EnvApp.CreateAsync(1); // a store to serve from (a new one would be announced on stderr)
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        using var serve = CliRunner.StartProcess(null, "serve", "--env", "staging", "--urls", url, "--format", "json", "--manifest", app.Manifest, "--store", app.StorePath);
        var result = await CliRunner.WaitAsync(serve);

        Assert.True(result.ExitCode == ExitCodes.Operational, $"exit {result.ExitCode}: {result.Stderr}");
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Contains("the port is already in use", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("already in use", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_PortInUse_OneLineExit3()
    {
        await using var app = await EnvApp.CreateAsync(1); // a store to serve from (a new one would be announced on stderr)
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, _, stderr) = await app.RunAsync("dashboard", "--urls", url);

        Assert.True(code == ExitCodes.Operational, $"exit {code}: {stderr}");
        Assert.Contains($"cannot listen on {url}: the port is already in use", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", stderr, StringComparison.Ordinal);
    }
}
