using System.Text.Json;
using Glidepath.Cli.Tests.Monitoring;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Monitoring;
using Glidepath.Providers;
using Glidepath.Rollouts;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// <c>monitor --server URL</c> against a real gateway on 127.0.0.1 sharing the CLI's fake clock, with the gateway's
/// webhook receiver and the local one on 127.0.0.1 too: the alerts listed byte for byte as on the store, and an alert
/// whose delivery gave up resent by the gateway with its own webhook (until 2026-12-06 'monitor' refused --server, so
/// an operator with only a token could neither list drift alerts nor page one again). In the webhook collection: the
/// alert is raised by a local 'monitor --check' posting to GLIDEPATH_ALERT_WEBHOOK, a process-wide variable.
/// </summary>
[Collection(WebhookEnvironmentCollection.Name)]
public sealed class RemoteMonitorCliTests : IAsyncLifetime
{
    private MonitorApp _app = null!;
    private SqliteStore _store = null!;
    private GatewayServer _gateway = null!;
    private ModelClientFactory _models = null!;
    private HttpClient _webhookHttp = null!;
    private WebhookReceiver _serverHook = null!;
    private string _deployer = "";
    private string _viewer = "";
    private string _stagingDeployer = "";

    public async Task InitializeAsync()
    {
        _app = await MonitorApp.CreateAsync(1);
        await _app.OkAsync("deploy", "v1", "--env", "staging");
        await _app.OkAsync("promote", "v1", "--env", "production");
        _deployer = await TokenAsync("deployer", "production", "pager");
        _viewer = await TokenAsync("viewer", "production", "watcher");
        _stagingDeployer = await TokenAsync("deployer", "staging", "stager");

        // 1% errors in yesterday's hour, 10% in today's, checked at the end of today's hour: error_rate drifted.
        var t0 = MonitorApp.Start;
        await _app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        await _app.WriteTracesAsync("production", "v1", t0.AddDays(1), TimeSpan.FromHours(1), 2000, errorRate: 0.1);
        _app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));

        _serverHook = new WebhookReceiver();
        _webhookHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _store = await SqliteStore.OpenAsync(_app.StorePath, _app.Time, CancellationToken.None);
        var manifest = ManifestParser.Load(_app.Manifest);
        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        _gateway = await StartGatewayAsync(new WebhookNotifier(_webhookHttp, new Uri(_serverHook.Url)));
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        await _gateway.DisposeAsync();
        _models.Dispose();
        _webhookHttp.Dispose();
        _serverHook.Dispose();
        await _store.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("text", "--limit", "1")]
    [InlineData("json", "--limit", "1")]
    public async Task MonitorList_ThroughTheAdminApi_PrintsWhatItPrintsOnTheStore(string format, params string[] extra)
    {
        var id = await GaveUpAsync();
        await _store.Monitor.SaveAlertAsync(Alert("al-ahead", _app.Time.GetUtcNow().AddDays(1)), CancellationToken.None);

        var local = await _app.RunAsync(["monitor", "--env", "production", "--format", format, .. extra]);
        var remote = await RemoteAsync(_viewer, ["monitor", "--env", "production", "--format", format, .. extra]);

        Assert.True(local.Code == 0, local.Stderr);
        Assert.True(remote.Code == 0, remote.Stderr);
        Assert.Equal(local.Stdout, remote.Stdout);
        if (format == "text" && extra.Length == 0)
        {
            // Both delivery lines under the table: an alert that gave up, and one from a clock ahead.
            Assert.Contains($"resend it with: glidepath monitor --env production --resend {id}", remote.Stdout, StringComparison.Ordinal);
            Assert.Contains("(clock ahead)", remote.Stdout, StringComparison.Ordinal);
            Assert.Contains("failed: HTTP 500 (gave up after", remote.Stdout, StringComparison.Ordinal);
        }
        else if (format == "json")
        {
            Assert.Equal(extra.Length == 0 ? 2 : 1, JsonDocument.Parse(remote.Stdout).RootElement.GetProperty("alerts").GetArrayLength());
        }
    }

    [Fact]
    public async Task MonitorResend_ThroughTheAdminApi_PostedWithTheServersWebhook_PrintedAsLocally()
    {
        var id = await GaveUpAsync();

        // No webhook here: the gateway posts with its own.
        var (code, stdout, stderr) = await RemoteAsync(_deployer, "monitor", "--env", "production", "--resend", id);

        Assert.True(code == 0, stderr);
        Assert.Equal($"Resent {id} to the webhook (attempt 2): sent" + Environment.NewLine, stdout);
        var post = Assert.Single(_serverHook.Received);
        Assert.Equal((id, 2), (post.GetProperty("id").GetString(), post.GetProperty("attempt").GetInt32()));
        var delivery = Delivery(await _app.JsonAsync("monitor", "--env", "production"), id);
        Assert.Equal(("sent", 2), (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32()));
        var (_, listed, _) = await RemoteAsync(_viewer, "monitor", "--env", "production");
        Assert.DoesNotContain("--resend", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorResend_ThroughTheAdminApi_Json_IsTheLocalAnswersShape()
    {
        var id = await GaveUpAsync();

        var (code, stdout, stderr) = await RemoteAsync(_deployer, "monitor", "--env", "production", "--resend", id, "--format", "json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["alert", "attempt", "outcome", "delivery"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal((id, 2, "sent"), (json.GetProperty("alert").GetString(), json.GetProperty("attempt").GetInt32(), json.GetProperty("outcome").GetString()));
        Assert.Equal(JsonSerializer.Serialize(Delivery(await _app.JsonAsync("monitor", "--env", "production"), id)), JsonSerializer.Serialize(json.GetProperty("delivery")));
    }

    [Fact]
    public async Task MonitorResend_ThroughTheAdminApi_ReceiverDown_Exit3AsLocally_TheAttemptRecorded()
    {
        var id = await GaveUpAsync();
        _serverHook.Status = 503;

        var (code, stdout, stderr) = await RemoteAsync(_deployer, "monitor", "--env", "production", "--resend", id);

        Assert.Equal(ExitCodes.Operational, code);
        Assert.Contains($"drift alert {id}: the webhook post (attempt 2) failed: HTTP 503; recorded on the alert (glidepath monitor --env production shows it); run --resend again once the receiver answers", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Single(_serverHook.Received);
        var delivery = Delivery(await _app.JsonAsync("monitor", "--env", "production"), id);
        Assert.Equal(("gave_up", 2, "failed: HTTP 503"), (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("last").GetString()));
    }

    [Fact]
    public async Task MonitorResend_ThroughTheAdminApi_UnknownId_Exit4NamingHowToList_NothingPosted()
    {
        await GaveUpAsync();

        var (code, _, stderr) = await RemoteAsync(_deployer, "monitor", "--env", "production", "--resend", "al-nope");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("environment 'production' has no drift alert 'al-nope'; list its alerts with: glidepath monitor --env production", stderr, StringComparison.Ordinal);
        Assert.Empty(_serverHook.Received);
    }

    // The role is per environment: a deployer of staging names production's alert through staging, where it holds the role.
    [Fact]
    public async Task MonitorResend_ThroughTheAdminApi_AlertOfAnotherEnvironment_NotResentThroughOneTheTokenHoldsARoleIn()
    {
        var id = await GaveUpAsync();

        var throughStaging = await RemoteAsync(_stagingDeployer, "monitor", "--env", "staging", "--resend", id);
        var throughProduction = await RemoteAsync(_stagingDeployer, "monitor", "--env", "production", "--resend", id);

        Assert.Equal((ExitCodes.Refused, ExitCodes.Refused), (throughStaging.Code, throughProduction.Code));
        Assert.Contains($"environment 'staging' has no drift alert '{id}'", throughStaging.Stderr, StringComparison.Ordinal);
        Assert.Contains("token:stager may not resend a drift alert in 'production': it needs the deployer role there", throughProduction.Stderr, StringComparison.Ordinal);
        Assert.Empty(_serverHook.Received);
        Assert.Equal(("gave_up", 1), State(await _app.JsonAsync("monitor", "--env", "production"), id));
    }

    [Fact]
    public async Task MonitorResend_ThroughTheAdminApi_Viewer_RefusedExit4_NothingPosted()
    {
        var id = await GaveUpAsync();

        var (code, _, stderr) = await RemoteAsync(_viewer, "monitor", "--env", "production", "--resend", id);

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("token:watcher may not resend a drift alert in 'production': it needs the deployer role there (has: viewer in production)", stderr, StringComparison.Ordinal);
        Assert.Empty(_serverHook.Received);
        Assert.Equal(("gave_up", 1), State(await _app.JsonAsync("monitor", "--env", "production"), id));
    }

    // The gateway's AdminOptions.AlertNotifier is unset, so it reads GLIDEPATH_ALERT_WEBHOOK of its process (this one),
    // which is unset here too (the caller's and the server's are one variable in one process: the message tells them apart).
    [Fact]
    public async Task MonitorResend_ThroughAGatewayWithoutAWebhook_Exit4NamingTheServersVariable()
    {
        var id = await GaveUpAsync();
        await using var bare = await StartGatewayAsync(null);

        var (code, _, stderr) = await _app.RunAsync("monitor", "--env", "production", "--resend", id, "--server", bare.Urls[0], "--token", _deployer);

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains($"this server has no alert webhook to post drift alert {id} to: GLIDEPATH_ALERT_WEBHOOK is not set in the environment the gateway runs in (the server's, not yours)", stderr, StringComparison.Ordinal);
        Assert.Equal(("gave_up", 1), State(await _app.JsonAsync("monitor", "--env", "production"), id));
    }

    [Fact]
    public async Task MonitorCheck_ThroughTheAdminApi_Exit2SayingTheGatewayRunsIt()
    {
        var (code, _, stderr) = await RemoteAsync(_viewer, "monitor", "--env", "production", "--check");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--check compares traces in the store, which --server does not reach: the gateway serving production ('glidepath serve --env production', or 'glidepath controller --env production') runs the same check itself", stderr, StringComparison.Ordinal);
        Assert.Empty((await _app.JsonAsync("monitor", "--env", "production")).GetProperty("alerts").EnumerateArray());
    }

    private Task<(int Code, string Stdout, string Stderr)> RemoteAsync(string token, params string[] args) =>
        _app.RunAsync([.. args, "--server", _gateway.Urls[0], "--token", token]);

    private async Task<string> TokenAsync(string role, string environment, string name) =>
        (await _app.JsonAsync("tokens", "create", "--role", role, "--env", environment, "--name", name)).GetProperty("token").GetString()!;

    private Task<GatewayServer> StartGatewayAsync(IAlertNotifier? notifier) => GatewayServer.StartAsync(
        ServingOptions.For(_store, ManifestParser.Load(_app.Manifest), "production", _models) with { Rollouts = null, Monitor = null },
        new GatewayServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            Admin = new AdminOptions { Manifest = ManifestParser.Load(_app.Manifest), Store = _store, Time = _app.Time, AlertNotifier = notifier },
        },
        CancellationToken.None);

    /// <summary>Raises the error_rate alert with the local receiver failing, then lets it close (two of its 1-hour windows): it gave up after one attempt. No webhook is set afterwards.</summary>
    private async Task<string> GaveUpAsync()
    {
        using var down = new WebhookReceiver { Status = 500 };
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, down.Url);
        try
        {
            var (code, check) = await _app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Equal(1, code);
            var id = Assert.Single(check.GetProperty("check").GetProperty("raised").EnumerateArray()).GetString()!;
            Assert.Single(down.Received);
            _app.Time.Advance(TimeSpan.FromHours(3));
            Assert.Equal(("gave_up", 1), State(await _app.JsonAsync("monitor", "--env", "production"), id));
            return id;
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    private static JsonElement Delivery(JsonElement report, string id) =>
        report.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).GetProperty("delivery");

    private static (string?, int) State(JsonElement report, string id)
    {
        var delivery = Delivery(report, id);
        return (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32());
    }

    /// <summary>An error_rate alert of v1 on production raised at <paramref name="at"/>, never posted.</summary>
    private DriftAlert Alert(string id, DateTimeOffset at) =>
        Glidepath.Testing.TestDriftAlerts.Drifted(id, "support-agent", "production", _app.Ids["v1"], at);
}
