using System.Text.Json;
using Glidepath.Monitoring;

namespace Glidepath.Cli.Tests.Monitoring;

/// <summary>
/// <c>monitor --resend ALERT_ID</c> against a real receiver on 127.0.0.1: an alert whose receiver stayed down until it
/// closed ended <c>gave_up</c> with no way to send it again.
/// </summary>
[Collection(WebhookEnvironmentCollection.Name)]
public sealed class MonitorResendCliTests
{
    [Fact]
    public async Task MonitorResend_AlertThatGaveUpWhileTheReceiverWasDown_PostedAgainAsTheNextAttemptAndRecordedSent()
    {
        await using var app = await ErrorRateDriftAsync();
        using var hook = new WebhookReceiver { Status = 500 };
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var id = await GaveUpAsync(app);
            var (_, listed, _) = await app.RunAsync("monitor", "--env", "production");
            Assert.Contains($"resend it with: glidepath monitor --env production --resend {id}", listed, StringComparison.Ordinal);

            hook.Status = 204;
            var (code, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--resend", id);

            Assert.Equal(0, code);
            Assert.Equal((id, 2, "sent"), (json.GetProperty("alert").GetString(), json.GetProperty("attempt").GetInt32(), json.GetProperty("outcome").GetString()));
            Assert.Equal(("sent", 2), (json.GetProperty("delivery").GetProperty("state").GetString(), json.GetProperty("delivery").GetProperty("attempts").GetInt32()));
            Assert.Equal([(id, 1), (id, 2)], hook.Received.Select(p => (p.GetProperty("id").GetString(), p.GetProperty("attempt").GetInt32())));
            var (_, after, _) = await app.RunAsync("monitor", "--env", "production");
            Assert.DoesNotContain("--resend", after, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task MonitorResend_ReceiverStillDown_Exit3_TheFailedAttemptRecorded()
    {
        await using var app = await ErrorRateDriftAsync();
        using var hook = new WebhookReceiver { Status = 500 };
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var id = await GaveUpAsync(app);

            var (code, stdout, stderr) = await app.RunAsync("monitor", "--env", "production", "--resend", id);

            Assert.Equal(3, code);
            Assert.Contains($"drift alert {id}: the webhook post (attempt 2) failed: HTTP 500", stderr, StringComparison.Ordinal);
            Assert.Equal(2, hook.Received.Count);
            var delivery = Delivery(await app.JsonAsync("monitor", "--env", "production"), id);
            Assert.Equal(("gave_up", 2, "failed: HTTP 500"), (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("last").GetString()));
            Assert.Empty(stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task MonitorResend_UnknownIdOrAnAlertOfAnotherEnvironment_Exit4NamingHowToListThem_NothingPosted()
    {
        await using var app = await ErrorRateDriftAsync();
        using var hook = new WebhookReceiver();
        Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, hook.Url);
        try
        {
            var (_, check) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
            var id = Assert.Single(check.GetProperty("check").GetProperty("raised").EnumerateArray()).GetString()!;

            var (unknown, json) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--resend", "al-nope");
            var (other, _, otherErr) = await app.RunAsync("monitor", "--env", "staging", "--resend", id);
            var (sent, _, sentErr) = await app.RunAsync("monitor", "--env", "production", "--resend", id);

            Assert.Equal((4, 4, 4), (unknown, other, sent));
            Assert.Equal("environment 'production' has no drift alert 'al-nope'; list its alerts with: glidepath monitor --env production", json.GetProperty("error").GetString());
            Assert.Contains($"environment 'staging' has no drift alert '{id}'", otherErr, StringComparison.Ordinal);
            Assert.Contains($"drift alert {id} was delivered already (sent, attempt 1)", sentErr, StringComparison.Ordinal);
            Assert.Single(hook.Received);
        }
        finally
        {
            Environment.SetEnvironmentVariable(WebhookNotifier.EnvironmentVariable, null);
        }
    }

    [Theory]
    [InlineData(null, "--resend posts to the webhook in GLIDEPATH_ALERT_WEBHOOK, which is not set")]
    [InlineData("--check", "--resend posts one stored alert again and lists or compares nothing: drop --check, --window, --reference and --limit")]
    [InlineData("--limit", "--resend posts one stored alert again and lists or compares nothing")]
    public async Task MonitorResend_NoWebhookOrAnOptionItWouldIgnore_Exit2(string? option, string error)
    {
        await using var app = await MonitorApp.CreateAsync(1);
        string[] extra = option switch { null => [], "--limit" => ["--limit", "5"], _ => [option] };

        var (code, _, stderr) = await app.RunAsync(["monitor", "--env", "production", "--resend", "al-x", .. extra]);

        Assert.Equal(2, code);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
    }

    /// <summary>Raises the error_rate alert with the receiver failing, then lets it close (two of its 1-hour windows): it gave up.</summary>
    private static async Task<string> GaveUpAsync(MonitorApp app)
    {
        var (code, first) = await app.JsonWithCodeAsync("monitor", "--env", "production", "--check");
        Assert.Equal(1, code);
        var id = Assert.Single(first.GetProperty("check").GetProperty("raised").EnumerateArray()).GetString()!;
        app.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal("gave_up", Delivery(await app.JsonAsync("monitor", "--env", "production"), id).GetProperty("state").GetString());
        return id;
    }

    /// <summary>v1 stable on production, 1% errors in yesterday's hour and 10% in today's, checked at the end of today's hour.</summary>
    private static async Task<MonitorApp> ErrorRateDriftAsync()
    {
        var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(1), 2000, errorRate: 0.01);
        await app.WriteTracesAsync("production", "v1", t0.AddDays(1), TimeSpan.FromHours(1), 2000, errorRate: 0.1);
        app.Time.SetUtcNow(t0.AddDays(1).AddHours(1));
        return app;
    }

    private static JsonElement Delivery(JsonElement report, string? id) =>
        report.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).GetProperty("delivery");
}
