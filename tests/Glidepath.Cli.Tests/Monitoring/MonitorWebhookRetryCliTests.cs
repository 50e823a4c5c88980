using System.Text.Json;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Cli.Tests.Monitoring;

/// <summary>
/// The webhook page of a drift alert, against a real receiver on 127.0.0.1: a failed or never-attempted post is made
/// again by a later check, and an alert dated after the host's clock does not silence the metric.
/// </summary>
[Collection(WebhookEnvironmentCollection.Name)]
public sealed class MonitorWebhookRetryCliTests
{
    [Fact]
    public async Task MonitorCheck_ReceiverAnswers500ThenOk_TheNextCheckPostsTheSameAlertAgainOnceAndListsItSent()
    {
        await using var app = await ErrorRateDriftAsync();
        using var hook = new WebhookReceiver { Status = 500 };
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var (code, first) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Equal(1, code);
            var id = Assert.Single(first.GetProperty("check").GetProperty("raised").EnumerateArray()).GetString();
            var failed = Delivery(first, id);
            Assert.Equal(("retrying", 1, "failed: HTTP 500"), (failed.GetProperty("state").GetString(), failed.GetProperty("attempts").GetInt32(), failed.GetProperty("last").GetString()));
            Assert.Single(hook.Received);

            // The receiver is back; the metric is not raised again within the window, but its alert is posted again.
            hook.Status = 204;
            app.Time.Advance(TimeSpan.FromMinutes(5));
            var (_, second) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Empty(second.GetProperty("check").GetProperty("raised").EnumerateArray());
            var retry = Assert.Single(second.GetProperty("check").GetProperty("deliveries").EnumerateArray());
            Assert.Equal((id, 2, "sent"), (retry.GetProperty("alert").GetString(), retry.GetProperty("attempt").GetInt32(), retry.GetProperty("outcome").GetString()));
            Assert.Equal([(id, 1), (id, 2)], hook.Received.Select(p => (p.GetProperty("id").GetString(), p.GetProperty("attempt").GetInt32())));

            app.Time.Advance(TimeSpan.FromMinutes(5));
            var (_, third) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Empty(third.GetProperty("check").GetProperty("deliveries").EnumerateArray());
            Assert.Equal(2, hook.Received.Count);
            var sent = Delivery(third, id);
            Assert.Equal(("sent", 2), (sent.GetProperty("state").GetString(), sent.GetProperty("attempts").GetInt32()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task MonitorCheck_AlertStoredButNeverPosted_PostedByTheNextCheckEvenWithNothingToCompare()
    {
        // A monitor that stopped between storing and posting leaves the alert pending; the release is not ready to compare.
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        app.Time.Advance(TimeSpan.FromHours(2));
        var now = app.Time.GetUtcNow();
        await using (var store = await app.OpenStoreAsync())
        {
            await store.Monitor.SaveAlertAsync(Alert(app, "al-crashed", "latency", now.AddMinutes(-10)) with { Notification = AlertDelivery.Pending }, CancellationToken.None);
        }

        using var hook = new WebhookReceiver();
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

            Assert.Equal(0, code);
            Assert.NotNull(json.GetProperty("check").GetProperty("skipped").GetString());
            Assert.Equal("al-crashed", Assert.Single(hook.Received).GetProperty("id").GetString());
            Assert.Equal("sent", Delivery(json, "al-crashed").GetProperty("state").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task MonitorCheck_AlertOfTheMetricDatedADayAhead_DoesNotCountAsRaised_AndIsShownAsFromAClockAhead()
    {
        await using var app = await ErrorRateDriftAsync();
        var now = app.Time.GetUtcNow();
        await using (var store = await app.OpenStoreAsync())
        {
            await store.Monitor.SaveAlertAsync(Alert(app, "al-ahead", "error_rate", now.AddDays(1)), CancellationToken.None);
        }

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

        Assert.Equal(1, code);
        var check = json.GetProperty("check");
        Assert.Single(check.GetProperty("raised").EnumerateArray());
        Assert.Equal("al-ahead", Assert.Single(check.GetProperty("raised_ahead").EnumerateArray()).GetString());
        var listed = json.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "al-ahead");
        Assert.True(listed.GetProperty("raised_ahead_of_clock").GetBoolean());
        var (_, text, _) = await app.RunAsync("monitor", "--env", "production");
        Assert.Contains("(clock ahead)", text, StringComparison.Ordinal);
        Assert.Contains("by a host whose clock was ahead", text, StringComparison.Ordinal);
    }

    // Trial longrun #1: a check posted every alert a host whose clock was ahead had stored (a false no_traffic among
    // them) hours before its time, and alerts whose delivery had given up. It posts its own alert only.
    [Fact]
    public async Task MonitorCheck_AlertsDatedAheadOrWhoseDeliveryGaveUp_NotPosted_OnlyTheCheckOwnAlertIs()
    {
        await using var app = await ErrorRateDriftAsync();
        var now = app.Time.GetUtcNow();
        await using (var store = await app.OpenStoreAsync())
        {
            await store.Monitor.SaveAlertAsync(Alert(app, "al-ahead", TrafficStop.Metric, now.AddHours(17)) with { Notification = AlertDelivery.NotConfigured }, CancellationToken.None);
            await store.Monitor.SaveAlertAsync(Alert(app, "al-gaveup", "latency", now.AddMinutes(-30)) with { Notification = "failed: HTTP 500", DeliveryAttempts = 7 }, CancellationToken.None);
        }

        using var hook = new WebhookReceiver();
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

            Assert.Equal(1, code);
            var raised = Assert.Single(json.GetProperty("check").GetProperty("raised").EnumerateArray()).GetString();
            Assert.Equal([raised], hook.Received.Select(p => p.GetProperty("id").GetString()));
            Assert.Equal("none", Delivery(json, "al-ahead").GetProperty("state").GetString());
            Assert.Equal(("gave_up", 7), (Delivery(json, "al-gaveup").GetProperty("state").GetString(), Delivery(json, "al-gaveup").GetProperty("attempts").GetInt32()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task MonitorCheck_AlertOfTheMetricDatedWithinTheClockSlack_StillCountsAsRaised()
    {
        await using var app = await ErrorRateDriftAsync();
        var now = app.Time.GetUtcNow();
        await using (var store = await app.OpenStoreAsync())
        {
            await store.Monitor.SaveAlertAsync(Alert(app, "al-skew", "error_rate", now + DriftAlert.ClockSlack), CancellationToken.None);
        }

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

        Assert.Equal(1, code);
        Assert.Empty(json.GetProperty("check").GetProperty("raised").EnumerateArray());
        Assert.Empty(json.GetProperty("check").GetProperty("raised_ahead").EnumerateArray());
    }

    [Fact]
    public async Task MonitorCheck_DriftAlertMessage_SaysWhatToDo()
    {
        await using var app = await ErrorRateDriftAsync(earlierStable: true);

        var (_, stdout, _) = await app.RunAsync("monitor", "--env", "production", "--check");

        Assert.Matches(@"ALERT al-\w+: error_rate drifted on production: .*\. Read glidepath monitor --env production, then fix the cause or roll back \(glidepath rollback --env production --expect-revision \d+\)", stdout);
    }

    // Trial drift3 L1: on the environment's first stable release the advised rollback exits 4 (nothing to go back to).
    [Fact]
    public async Task MonitorCheck_DriftOfTheFirstStableRelease_AlertDoesNotAdviseARollback()
    {
        await using var app = await ErrorRateDriftAsync(earlierStable: false);

        var (_, stdout, _) = await app.RunAsync("monitor", "--env", "production", "--check");

        Assert.Matches(@"ALERT al-\w+: error_rate drifted on production: .*\. Read glidepath monitor --env production, then fix the cause \(production has no earlier known-good release to roll back to\)", stdout);
        Assert.DoesNotContain("glidepath rollback", stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// v1 (or, with an earlier stable, v2 after v1) stable on production, 1% errors in yesterday's hour and 10% in today's,
    /// checked at the end of today's hour.
    /// </summary>
    private static async Task<MonitorApp> ErrorRateDriftAsync(bool earlierStable = false)
    {
        var app = await MonitorApp.CreateAsync(earlierStable ? 2 : 1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var stable = "v1";
        if (earlierStable)
        {
            await app.OkAsync("gate", "v2", "--baseline", "env:production");
            await app.OkAsync("deploy", "v2", "--env", "staging");
            await app.OkAsync("promote", "v2", "--env", "production");
            stable = "v2";
        }

        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", stable, t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        await app.WriteTracesAsync("production", stable, t0.AddDays(1), TimeSpan.FromHours(1), 2000, errorRate: 0.1);
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));
        return app;
    }

    private static JsonElement Delivery(JsonElement report, string? id) =>
        report.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).GetProperty("delivery");

    private static DriftAlert Alert(MonitorApp app, string id, string metric, DateTimeOffset at) =>
        Glidepath.Testing.TestDriftAlerts.Drifted(id, "support-agent", "production", app.Ids["v1"], at, metric);
}
