using Glidepath.Monitoring;

namespace Glidepath.Cli.Tests.Monitoring;

[Collection(WebhookEnvironmentCollection.Name)]
public sealed class MonitorCliTests
{
    [Fact]
    public async Task MonitorCheck_ErrorRateUpAfterTheReferenceHour_StoresOneAlertAndPostsItToTheWebhook()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        await app.WriteTracesAsync("production", "v1", t0.AddHours(1), TimeSpan.FromHours(1), 2000, errorRate: 0.1);
        app.Time.SetUtcNow(t0.AddHours(2));
        using var hook = new WebhookReceiver();
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Equal(1, code);
            var check = json.GetProperty("check");
            Assert.True(check.GetProperty("drifted").GetBoolean());
            Assert.Equal(2000, check.GetProperty("recent_window").GetProperty("requests").GetInt64());
            var harmed = check.GetProperty("metrics").EnumerateArray().Where(m => m.GetProperty("verdict").GetString() == "harm").Select(m => m.GetProperty("metric").GetString()).ToList();
            Assert.Equal(["error_rate"], harmed);

            var posted = Assert.Single(hook.Received);
            Assert.Equal(AlertPayload.Kind, posted.GetProperty("kind").GetString());
            Assert.Equal("production", posted.GetProperty("environment").GetString());
            Assert.Equal("error_rate", posted.GetProperty("metric").GetString());
            Assert.StartsWith("v1+", posted.GetProperty("release").GetProperty("label").GetString(), StringComparison.Ordinal);
            Assert.True(posted.GetProperty("evidence").GetProperty("lower").GetDouble() > 0.01);

            // A second look within the window raises nothing new; the stored alert is listed with its delivery.
            var (again, _) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Equal(1, again);
            Assert.Single(hook.Received);
            var listed = await app.JsonAsync("monitor", "--env", "production");
            var alert = Assert.Single(listed.GetProperty("alerts").EnumerateArray());
            Assert.Equal("sent", alert.GetProperty("notification").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task MonitorCheck_OnlinePassRateDownTenPointsAfterPromotion_AlertsOnTheOnlineScore()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;

        // sample_rate 0.2: every 5th request is scored; 90% of those pass in the reference hour, 80% now.
        static Func<int, Traces.TraceRecord, Traces.TraceRecord> Scored(int passPer10) => (i, t) => i % 5 != 0 ? t : t with
        {
            OnlinePassed = i / 5 % 10 < passPer10,
            OnlineScore = i / 5 % 10 < passPer10 ? 1 : 0,
        };
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 5000, shape: Scored(9));
        await app.WriteTracesAsync("production", "v1", t0.AddHours(1), TimeSpan.FromHours(1), 3000, shape: Scored(8));
        app.Time.SetUtcNow(t0.AddHours(2));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

        Assert.True(code == 1, json.ToString());
        var harmed = json.GetProperty("check").GetProperty("metrics").EnumerateArray()
            .Where(m => m.GetProperty("verdict").GetString() == "harm").Select(m => m.GetProperty("metric").GetString()).Order().ToList();
        Assert.Equal(["online_pass_rate", "online_score"], harmed);
        Assert.Equal(2, json.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task MonitorCheck_SameBehaviourAsTheReferenceHour_Exit0AndNoAlert()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("staging", "v1", t0, TimeSpan.FromHours(1), 1500, errorRate: 0.01);
        await app.WriteTracesAsync("staging", "v1", t0.AddHours(3), TimeSpan.FromHours(1), 1500, errorRate: 0.01);
        app.Time.SetUtcNow(t0.AddHours(4));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "staging", "--check");

        Assert.Equal(0, code);
        Assert.False(json.GetProperty("check").GetProperty("drifted").GetBoolean());
        Assert.Empty(json.GetProperty("alerts").EnumerateArray());
        var (_, text, _) = await app.RunAsync("monitor", "--env", "staging", "--check");
        Assert.Contains("error_rate", text, StringComparison.Ordinal);
        Assert.Contains("No drift alerts on staging.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorCheck_ReleaseStableForTenMinutes_SaysTheReferenceWindowIsFilling()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        app.Time.Advance(TimeSpan.FromMinutes(10));

        var (code, stdout, _) = await app.RunAsync("monitor", "--env", "staging", "--check");

        Assert.Equal(0, code);
        Assert.Contains("reference window is still filling", stdout, StringComparison.Ordinal);
    }
}

/// <summary>Tests that set GLIDEPATH_ALERT_WEBHOOK (a process-wide variable) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebhookEnvironmentCollection
{
    public const string Name = "webhook environment variable";
}
