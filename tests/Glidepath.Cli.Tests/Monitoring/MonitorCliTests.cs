using Glidepath.Monitoring;

namespace Glidepath.Cli.Tests.Monitoring;

[Collection(WebhookEnvironmentCollection.Name)]
public sealed class MonitorCliTests
{
    [Fact]
    public async Task MonitorCheck_ErrorRateUpOnTheSameHourAsYesterday_StoresOneAlertAndPostsItToTheWebhook()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        await app.WriteTracesAsync("production", "v1", t0.AddDays(1), TimeSpan.FromHours(1), 2000, errorRate: 0.1);
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));
        using var hook = new WebhookReceiver();
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            Assert.Equal(1, code);
            var check = json.GetProperty("check");
            Assert.True(check.GetProperty("drifted").GetBoolean());
            Assert.Equal(2000, check.GetProperty("recent_window").GetProperty("requests").GetInt64());
            var reference = check.GetProperty("reference_window");
            Assert.Equal(2000, reference.GetProperty("requests").GetInt64());
            Assert.Equal(t0, Assert.Single(reference.GetProperty("windows").EnumerateArray()).GetProperty("from").GetDateTimeOffset());
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
    public async Task MonitorCheck_OnlinePassRateDownTenPointsFromYesterday_AlertsOnTheOnlineScore()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;

        // sample_rate 0.2: every 5th request is scored; 90% of those pass in the same hour yesterday, 80% now.
        static Func<int, Traces.TraceRecord, Traces.TraceRecord> Scored(int passPer10) => (i, t) => i % 5 != 0 ? t : t with
        {
            OnlinePassed = i / 5 % 10 < passPer10,
            OnlineScore = i / 5 % 10 < passPer10 ? 1 : 0,
        };
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 5000, shape: Scored(9));
        await app.WriteTracesAsync("production", "v1", t0.AddDays(1), TimeSpan.FromHours(1), 5000, shape: Scored(8));
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

        Assert.True(code == 1, json.ToString());
        var harmed = json.GetProperty("check").GetProperty("metrics").EnumerateArray()
            .Where(m => m.GetProperty("verdict").GetString() == "harm").Select(m => m.GetProperty("metric").GetString()).Order().ToList();
        Assert.Equal(["online_pass_rate", "online_score"], harmed);
        Assert.Equal(2, json.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task MonitorCheck_SameBehaviourAsTheSameHourOnTwoEarlierDays_Exit0AndNoAlert()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var t0 = MonitorApp.Start;
        foreach (var day in new[] { 0, 1, 2 })
        {
            await app.WriteTracesAsync("staging", "v1", t0.AddDays(day).AddHours(1), TimeSpan.FromHours(1), 1500, errorRate: 0.01);
        }

        app.Time.SetUtcNow(t0.AddDays(2).AddHours(2));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "staging", "--check");

        Assert.Equal(0, code);
        Assert.False(json.GetProperty("check").GetProperty("drifted").GetBoolean());
        Assert.Empty(json.GetProperty("alerts").EnumerateArray());
        var (_, text, _) = await app.RunAsync("monitor", "--env", "staging", "--check");
        Assert.Contains("error_rate", text, StringComparison.Ordinal);
        Assert.Contains("No drift alerts on staging.", text, StringComparison.Ordinal);
        Assert.Contains("(1500 requests) vs the same clock window on 2 earlier days (2026-11-20 … 2026-11-21, 3000 requests)", text, StringComparison.Ordinal);
    }

    // Outside trial "traffic" #5: the row read "3150 / 64  3150 vs 0–64 per earlier window", requests on the recent side
    // and active subject groups on the reference side. Both sides now count active subject groups, and the row says so.
    [Fact]
    public async Task MonitorCheck_TrafficArriving_NoTrafficRowCountsActiveSubjectGroupsOnBothSidesAndNamesThem()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var t0 = MonitorApp.Start;
        foreach (var day in new[] { 0, 1, 2 })
        {
            await app.WriteTracesAsync("staging", "v1", t0.AddDays(day).AddHours(1), TimeSpan.FromHours(1), 1500);
        }

        app.Time.SetUtcNow(t0.AddDays(2).AddHours(2));

        var json = await app.JsonAsync("monitor", "--env", "staging", "--check");
        var (code, text, _) = await app.RunAsync("monitor", "--env", "staging", "--check");

        var check = json.GetProperty("check");
        Assert.Equal(1500, check.GetProperty("recent_window").GetProperty("requests").GetInt64());
        var evidence = check.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "no_traffic");
        var (recent, lower, upper) = (evidence.GetProperty("canary_n").GetInt64(), evidence.GetProperty("lower").GetDouble(), evidence.GetProperty("upper").GetDouble());
        Assert.Equal(recent, evidence.GetProperty("estimate").GetDouble());
        Assert.InRange(recent, 1, 64); // groups, as the earlier windows count them: not the window's 1500 requests
        Assert.InRange(upper, 1, 64);
        Assert.Equal(upper + lower, evidence.GetProperty("stable_n").GetInt64()); // two earlier days
        Assert.Equal(0, code);
        var row = text.Split('\n').Single(l => l.StartsWith("no_traffic ", StringComparison.Ordinal));
        var range = lower == upper ? $"{lower}" : $"{lower}–{upper}";
        Assert.Contains($" {recent} / {upper + lower} ", row, StringComparison.Ordinal);
        Assert.Contains($" {recent} now vs {range} per earlier window (active subject groups) ", row, StringComparison.Ordinal);
    }

    // Trial A §9: a traffic stop was silent (not_enough_data on every metric, exit 0).
    [Fact]
    public async Task MonitorCheck_NoRequestThisHourAfterTrafficAtTheSameHourYesterday_RaisesNoTrafficOnceUntilTrafficResumes()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        for (var day = 0; day < TrafficStop.MinimumWindows; day++)
        {
            await app.WriteTracesAsync("production", "v1", t0.AddDays(day), TimeSpan.FromHours(1), 200);
        }

        app.Time.SetUtcNow(t0.AddDays(TrafficStop.MinimumWindows).AddHours(1));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

        Assert.True(code == 1, json.ToString());
        var check = json.GetProperty("check");
        Assert.True(check.GetProperty("drifted").GetBoolean());
        var harmed = check.GetProperty("metrics").EnumerateArray().Where(m => m.GetProperty("verdict").GetString() == "harm").Select(m => m.GetProperty("metric").GetString()).ToList();
        Assert.Equal(["no_traffic"], harmed);
        var alert = Assert.Single(json.GetProperty("alerts").EnumerateArray());
        Assert.Equal("no_traffic", alert.GetProperty("metric").GetString());
        Assert.Equal("no_traffic on production: no request of the release in the recent window, while the same clock window on 3 earlier days held 59–63 active subject groups each (a stop needs at least 13 in each). Check that the gateway serving production is up and reachable, and that the clients, load balancer or proxy in front of it still send it traffic (glidepath monitor --env production)",
            alert.GetProperty("message").GetString());

        // Raised once per recent window, like a drifted metric; the text table names it.
        app.Time.Advance(TimeSpan.FromMinutes(10));
        var (again, text, _) = await app.RunAsync("monitor", "--env", "production", "--check");
        Assert.Equal(1, again);
        Assert.Contains("0 now vs 59–60 per earlier window (active subject groups)", text, StringComparison.Ordinal); // the subject groups active in the earlier windows 10 minutes on
        Assert.Single((await app.JsonAsync("monitor", "--env", "production")).GetProperty("alerts").EnumerateArray());

        // Traffic back: nothing new is raised and the check passes.
        await app.WriteTracesAsync("production", "v1", app.Time.GetUtcNow().AddMinutes(-5), TimeSpan.FromMinutes(4), 20);
        var (resumed, after) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
        Assert.True(resumed == 0, after.ToString());
        Assert.Single(after.GetProperty("alerts").EnumerateArray());
    }

    // Trial "drift" #5: not_enough_data came with no reason; the online metrics at modest traffic are the common case.
    [Fact]
    public async Task MonitorCheck_FewScoredRequests_SaysWhyEachMetricIsNotJudgedAndThatALongerWindowHoldsMore()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var t0 = MonitorApp.Start;
        static Func<int, Traces.TraceRecord, Traces.TraceRecord> Scored() => (i, t) => i % 5 != 0 ? t : t with { OnlinePassed = true, OnlineScore = 1 };
        await app.WriteTracesAsync("staging", "v1", t0.AddHours(1), TimeSpan.FromHours(1), 60, shape: Scored());
        await app.WriteTracesAsync("staging", "v1", t0.AddDays(1).AddHours(1), TimeSpan.FromHours(1), 60, shape: Scored());
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(2));

        var json = await app.JsonAsync("monitor", "--env", "staging", "--check");
        var (code, text, _) = await app.RunAsync("monitor", "--env", "staging", "--check");

        var metrics = json.GetProperty("check").GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("metric").GetString()!);
        Assert.Equal("not_enough_data", metrics["online_score"].GetProperty("verdict").GetString());
        Assert.Equal("12 scored requests in the recent 1h window and 12 in the reference, at least 20 needed on each side", metrics["online_score"].GetProperty("reason").GetString());
        Assert.False(metrics["error_rate"].TryGetProperty("reason", out _), "a judged metric has no reason");
        Assert.Equal(0, code);
        Assert.Contains("online_pass_rate not judged: 12 scored requests in the recent 1h window and 12 in the reference, at least 20 needed on each side.", text, StringComparison.Ordinal);
        Assert.Contains("A longer window holds more of the recent traffic: --window here, --monitor-window for the check serve and controller run.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorCheck_NoRequestThisHourAfterAQuietHourYesterday_NoAlert()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        for (var day = 0; day < TrafficStop.MinimumWindows; day++)
        {
            await app.WriteTracesAsync("production", "v1", t0.AddDays(day), TimeSpan.FromHours(1), 7);
        }

        app.Time.SetUtcNow(t0.AddDays(TrafficStop.MinimumWindows).AddHours(1));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");

        Assert.True(code == 0, json.ToString());
        var noTraffic = json.GetProperty("check").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "no_traffic");
        Assert.Equal("not_enough_data", noTraffic.GetProperty("verdict").GetString());
        Assert.Empty(json.GetProperty("alerts").EnumerateArray());
    }

    // Options a listing would ignore, and a count below one, are said rather than dropped.
    [Theory]
    [InlineData("--window", "30m", "--window and --reference shape the comparison --check runs; add --check")]
    [InlineData("--reference", "yesterday", "--window and --reference shape the comparison --check runs; add --check")]
    [InlineData("--limit", "-1", "--limit -1: expected how many alerts to list, at least 1")]
    public async Task Monitor_AnOptionThatWouldBeIgnoredOrACountBelowOne_Exit2(string option, string value, string error)
    {
        await using var app = await MonitorApp.CreateAsync(1);

        var (code, _, stderr) = await app.RunAsync("monitor", "--env", "staging", option, value);

        Assert.Equal(2, code);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorCheck_ReleaseStableForTwentyHours_NotReadyUntilTheSameHourTomorrowPlusTheWindow()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.WriteTracesAsync("staging", "v1", MonitorApp.Start, TimeSpan.FromHours(20), 4000);
        app.Time.Advance(TimeSpan.FromHours(20));

        var (code, stdout, _) = await app.RunAsync("monitor", "--env", "staging", "--check");
        var json = (await app.JsonWithCodeAsync("monitor", "--env", "staging", "--check")).Json.GetProperty("check");

        Assert.Equal(0, code);
        Assert.Contains("not ready: the reference needs the same clock window on an earlier day with this release stable (ready at 2026-11-21 09:00 UTC)", stdout, StringComparison.Ordinal);
        Assert.Equal(MonitorApp.Start.AddDays(1).AddHours(1), json.GetProperty("ready_at").GetDateTimeOffset());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("reference_window").ValueKind);
    }

    [Fact]
    public async Task MonitorCheck_StationaryDailyLatencyCycleTimes1Point5AtThePeak_NoAlert()
    {
        // Issue 12 item 5: promoted at 02:00 (the trough); at 14:30 the next day latency is ×1.5 of the first hour's but
        // the same as at 14:30 the day before. The first-hour reference alerted here; the same clock window does not.
        await using var app = await MonitorApp.CreateAsync(1);
        var day0 = MonitorApp.Start.Date.AddDays(1).AddHours(2);
        app.Time.SetUtcNow(new DateTimeOffset(day0, TimeSpan.Zero));
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var t0 = app.Time.GetUtcNow();
        await WriteCycleAsync(app, t0, TimeSpan.FromHours(1));
        await WriteCycleAsync(app, t0.AddHours(11), TimeSpan.FromHours(2));
        await WriteCycleAsync(app, t0.AddDays(1).AddHours(11), TimeSpan.FromHours(2));
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(12).AddMinutes(30));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "staging", "--check");

        Assert.True(code == 0, json.ToString());
        var latency = json.GetProperty("check").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "latency");
        Assert.Equal("safe", latency.GetProperty("verdict").GetString());
        Assert.InRange(latency.GetProperty("estimate").GetDouble(), 0.95, 1.05);
        Assert.Empty(json.GetProperty("alerts").EnumerateArray());
    }

    [Fact]
    public async Task MonitorCheck_LatencyTimes1Point5OnTopOfTheDailyCycle_AlertsOnLatency()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        var day0 = MonitorApp.Start.Date.AddDays(1).AddHours(2);
        app.Time.SetUtcNow(new DateTimeOffset(day0, TimeSpan.Zero));
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var t0 = app.Time.GetUtcNow();
        await WriteCycleAsync(app, t0.AddHours(11), TimeSpan.FromHours(2));
        await WriteCycleAsync(app, t0.AddDays(1).AddHours(11), TimeSpan.FromHours(2), factor: 1.5);
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(12).AddMinutes(30));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "staging", "--check");

        Assert.True(code == 1, json.ToString());
        // The sample plan judges the tail too: a ×1.5 shift moves the typical request and the share beyond the reference's p95.
        var metrics = json.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("metric").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["latency", "latency_p95"], metrics);
        var alert = json.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("metric").GetString() == "latency");
        Assert.Contains("recent vs the same clock window 1 day earlier ×1.5", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>1,000 traces an hour whose latency follows a daily cycle: ×1.5 from 02:00 (trough) to 14:00 (peak), times <paramref name="factor"/>.</summary>
    private static Task WriteCycleAsync(MonitorApp app, DateTimeOffset from, TimeSpan span, double factor = 1)
    {
        var count = (int)(span.TotalHours * 1000);
        return app.WriteTracesAsync("staging", "v1", from, span, count, shape: (i, t) =>
        {
            var hour = (from + (span * i / count)).UtcDateTime.TimeOfDay.TotalHours;
            var cycle = Math.Pow(1.5, (1 - Math.Cos(2 * Math.PI * (hour - 2) / 24)) / 2);
            return t with { LatencyMs = t.LatencyMs * cycle * factor };
        });
    }
}

/// <summary>Tests that set GLIDEPATH_ALERT_WEBHOOK (a process-wide variable) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebhookEnvironmentCollection
{
    public const string Name = "webhook environment variable";
}
