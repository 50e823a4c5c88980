namespace Glidepath.Cli.Tests.Monitoring;

/// <summary>
/// <c>glidepath monitor --check</c> says what error_rate did with refusals of the request and timeouts, in its text, its
/// JSON and the alert's message, in the canary judge's words (Judge.OneArm.cs).
/// </summary>
[Collection(WebhookEnvironmentCollection.Name)]
public sealed class MonitorOneArmCliTests
{
    [Fact]
    public async Task MonitorCheck_YesterdaysTimeoutsAndTodaysRiseInOtherErrors_TextJsonAndAlertSayTheLeadIsNotCredited()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        // Yesterday one request in ten timed out (a caller's long prompts) besides 1% provider errors; today 10% provider errors.
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01,
            shape: (i, t) => i % 10 == 4 ? t with { Status = 504, Error = "timeout" } : t);
        await app.WriteTracesAsync("production", "v1", t0.AddDays(1), TimeSpan.FromHours(1), 2000, errorRate: 0.1);
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));

        var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
        var (_, text, _) = await app.RunAsync("monitor", "--env", "production", "--check");

        Assert.Equal(1, code);
        const string Clause = "error_rate: refusals of the request and timeouts were 0.1 of the reference's requests and 0 of the recent 1h window's; +0.";
        var check = json.GetProperty("check");
        Assert.StartsWith(Clause, check.GetProperty("one_arm").GetString(), StringComparison.Ordinal);
        var errorRate = check.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "error_rate");
        Assert.Equal("harm", errorRate.GetProperty("verdict").GetString());
        Assert.True(errorRate.GetProperty("one_arm_uncredited").GetDouble() > 0.08);
        var alert = Assert.Single(json.GetProperty("alerts").EnumerateArray());
        Assert.Contains("(recent n=2000, reference n=2000); " + Clause, alert.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("of the reference's lead is beyond chance and not credited to the recent 1h window, whose own errors are judged", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith(Clause, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MonitorCheck_NoRefusalsOrTimeouts_NoOneArmClause()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        await app.WriteTracesAsync("production", "v1", t0.AddDays(1), TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));

        var json = await app.JsonAsync("monitor", "--env", "production", "--check");
        var (_, text, _) = await app.RunAsync("monitor", "--env", "production", "--check");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("check").GetProperty("one_arm").ValueKind);
        Assert.DoesNotContain("refusals of the request and timeouts", text, StringComparison.Ordinal);
    }
}
