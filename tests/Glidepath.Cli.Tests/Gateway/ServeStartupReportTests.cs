using System.Text.Json;
using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Gateway;

/// <summary>
/// What `serve` and `dashboard` say once they listen: under --format json the start-up document names the trusted
/// proxies (--forwarded-from, normalised) and the forwarded hosts (--forwarded-host); the text note names both too.
/// An outside trial found neither in the JSON, and the hosts nowhere. Both also say whether the dashboard's sessions are
/// shared through --session-key-env (the variable's name; never the secret).
/// </summary>
public sealed class ServeStartupReportTests
{
    private static readonly string[] Forwarded =
        ["--forwarded-from", " ::ffff:10.0.0.2 ", "--forwarded-from", "10.1.0.0/16", "--forwarded-from", "unix", "--forwarded-host", "gp.example.com", "--forwarded-host", "*.example.org"];

    [Theory]
    [InlineData("serve")]
    [InlineData("dashboard")]
    public async Task FormatJson_ListsTheTrustedProxiesNormalisedAndTheForwardedHosts(string command)
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();

        var (stdout, _) = await StartedAsync(app, [.. Args(command), "--format", "json", .. Forwarded]);

        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["10.0.0.2", "10.1.0.0/16", "unix"], json.GetProperty("forwarded_from").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["gp.example.com", "*.example.org"], json.GetProperty("forwarded_hosts").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task FormatJson_WithoutProxies_EmptyLists()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();

        var (stdout, _) = await StartedAsync(app, [.. Args("serve"), "--format", "json"]);

        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, json.GetProperty("forwarded_from").GetArrayLength());
        Assert.Equal(0, json.GetProperty("forwarded_hosts").GetArrayLength());
        Assert.False(json.GetProperty("shared_sessions").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("session_key_env").ValueKind);
        Assert.Equal((60.0, "day"), (json.GetProperty("monitor_window_minutes").GetDouble(), json.GetProperty("monitor_reference").GetString()));
    }

    // An outside trial (drift): serve's start-up said nothing of the drift check's window, while controller's did.
    [Fact]
    public async Task MonitorWindowAndReference_NamedInTheNoteAndTheJson()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();

        var (_, note) = await StartedAsync(app, [.. Args("serve"), "--monitor-window", "6h", "--monitor-reference", "week"]);
        var (stdout, _) = await StartedAsync(app, [.. Args("serve"), "--format", "json", "--monitor-window", "90m"]);

        Assert.Contains("drift check at start and every 5 minutes, window 6h against earlier weeks); Ctrl-C stops.", note, StringComparison.Ordinal);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal((90.0, "day"), (json.GetProperty("monitor_window_minutes").GetDouble(), json.GetProperty("monitor_reference").GetString()));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("dashboard")]
    public async Task SessionKeyEnv_JsonAndNoteSayTheSessionsAreShared_NamingTheVariable_NeverTheSecret(string command)
    {
        const string secret = "Xk4Rz8Lm1Qw6Vb3Nc9Tp5Hs2Gd7Fy0Je+startup/report=";
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();
        var variable = "GP_TEST_SK_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var (stdout, stderr) = await StartedAsync(app, [.. Args(command), "--format", "json", "--session-key-env", variable]);
            var (_, note) = await StartedAsync(app, [.. Args(command), "--session-key-env", variable]);

            var json = JsonDocument.Parse(stdout).RootElement;
            Assert.True(json.GetProperty("shared_sessions").GetBoolean());
            Assert.Equal(variable, json.GetProperty("session_key_env").GetString());
            Assert.Contains($"sessions shared by every gateway given the secret in {variable}", note, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stdout + stderr + note, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("dashboard")]
    public async Task Text_WithoutSessionKey_NoteSaysTheSessionsHoldOnThisHostOnly(string command)
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();

        var (_, stderr) = await StartedAsync(app, Args(command));

        Assert.Contains("sessions protected by this host's own keys (a sign-in holds on this host only)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("dashboard")]
    public async Task Text_NoteNamesTheProxiesAndTheForwardedHosts(string command)
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();

        var (_, stderr) = await StartedAsync(app, [.. Args(command), .. Forwarded]);

        Assert.Contains("; forwarded scheme believed from 10.0.0.2, 10.1.0.0/16, unix (and X-Forwarded-Host naming gp.example.com, *.example.org)", stderr, StringComparison.Ordinal);
    }

    // Newcomer trial L3: serve started with the normal banner on an environment with no stable release.
    [Fact]
    public async Task Serve_EnvironmentWithNoStableRelease_WarnsAtStartNamingTheDeploy()
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (_, stderr) = await StartedAsync(app, Args("serve"));

        Assert.Contains("warning: staging has no stable release yet, so every request is answered 503 until one is there: glidepath deploy REF --env staging", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_EnvironmentWithAStableRelease_NoNoStableWarning()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();

        var (_, stderr) = await StartedAsync(app, Args("serve"));

        Assert.DoesNotContain("has no stable release yet", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("is ignored", stderr, StringComparison.Ordinal);
    }

    // newcomer4 M2 (remainder): the manifest on disk set a var the stable release's prompt does not use; deploy said so,
    // serve's start did not.
    [Fact]
    public async Task Serve_EnvironmentVarTheStableReleaseDoesNotUse_OneWarningAtTheManifestLine()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();
        var line = EnvironmentVarWarningsCliTests.AddVar(app, "staging", "plna: x");

        var (_, stderr) = await StartedAsync(app, Args("serve"));

        var warnings = stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.Contains("is ignored", StringComparison.Ordinal)).ToList();
        Assert.Equal($"warning: glidepath.yaml:{line}: environments.staging.vars.plna is ignored by v1: no template of the release uses it (it uses: customer_tier)", Assert.Single(warnings));
    }

    private static string[] Args(string command) => command == "serve"
        ? ["serve", "--env", "staging", "--urls", "http://127.0.0.1:0"]
        : ["dashboard", "--urls", "http://127.0.0.1:0"];

    /// <summary>Runs the command in-process until its start-up note ("Ctrl-C stops") is written, then stops it as Ctrl-C would.</summary>
    private static async Task<(string Stdout, string Stderr)> StartedAsync(EnvApp app, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new WatchedWriter("Ctrl-C stops.");
        using var stop = new CancellationTokenSource();
        var run = CliApp.RunAsync([.. args, "--manifest", app.Manifest, "--store", app.StorePath], new CliEnvironment(stdout, stderr, false), stop.Token);
        await Task.WhenAny(run, stderr.Seen.Task.WaitAsync(TimeSpan.FromMinutes(2)));
        if (!stderr.Seen.Task.IsCompletedSuccessfully)
        {
            await stop.CancelAsync();
            Assert.Fail($"exited {await run} without saying it listened: {stderr}");
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        return (stdout.ToString(), stderr.ToString());
    }

    /// <summary>A writer that tells when a text has been written to it.</summary>
    private sealed class WatchedWriter(string text) : StringWriter
    {
        private readonly Lock _gate = new();

        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
                Check();
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
                Check();
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_gate)
            {
                base.Write(buffer, index, count);
                Check();
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }

        private void Check()
        {
            if (GetStringBuilder().ToString().Contains(text, StringComparison.Ordinal))
            {
                Seen.TrySetResult();
            }
        }
    }
}
