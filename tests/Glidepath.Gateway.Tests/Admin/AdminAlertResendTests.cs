using System.Text.Json;
using Glidepath.Access;
using Glidepath.Monitoring;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// <c>POST /environments/{env}/alerts/{id}/resend</c> in the API's own terms: what it refuses before posting anything, a
/// server without a webhook, and a post that fails. The CLI through it: tests/Glidepath.Cli.Tests/Remote/RemoteMonitorCliTests.cs.
/// </summary>
public sealed class AdminAlertResendTests
{
    private const string Path = $"/admin/v1/environments/staging/alerts/{AdminOperations.AlertId}/resend";

    [Fact]
    public async Task Resend_BodyWithAReason_Is400SayingItTakesNoField_NothingPosted()
    {
        await using var h = await StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, Path, await h.TokenAsync(Role.Deployer), """{"reason":"page again"}""");

        Assert.Equal(400, status);
        Assert.Equal(("this request does not take the field 'reason'; it takes no field (send {} or no body); nothing was done", 2), Error(body));
        Assert.Equal(0, h.Notifier.Posts);
    }

    [Theory]
    [InlineData("al-x%0Aforged")]
    [InlineData("al-x%20y")]
    public async Task Resend_IdThatIsNoAlertId_Is400_NothingPosted(string id)
    {
        await using var h = await StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, $"/admin/v1/environments/staging/alerts/{id}/resend", await h.TokenAsync(Role.Deployer), "{}");

        Assert.Equal(400, status);
        Assert.StartsWith("the alert id in the path is not one", Error(body).Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Notifier.Posts);
    }

    [Fact]
    public async Task Resend_ServerWithoutAWebhook_Is409NamingTheServersVariable_AlertUntouched()
    {
        Assert.Null(Environment.GetEnvironmentVariable(WebhookNotifier.EnvironmentVariable)); // the server's own: unset in this test process
        await using var h = await StartAsync(o => o with { Admin = o.Admin! with { AlertNotifier = null } });

        var (status, body) = await h.SendAsync(HttpMethod.Post, Path, await h.TokenAsync(Role.Deployer));

        Assert.Equal(409, status);
        var (error, exit) = Error(body);
        Assert.Equal(4, exit);
        Assert.StartsWith($"this server has no alert webhook to post drift alert {AdminOperations.AlertId} to: GLIDEPATH_ALERT_WEBHOOK is not set in the environment the gateway runs in", error, StringComparison.Ordinal);
        var alert = await h.F.Store.Monitor.GetAlertAsync(h.F.Manifest.App, AdminOperations.AlertId, default);
        Assert.Equal(("none", 0), (alert!.Notification, alert.DeliveryAttempts));
    }

    [Fact]
    public async Task Resend_PostFails_Is503Exit3InTheApisWords_TheAttemptRecorded()
    {
        await using var h = await StartAsync();
        h.Notifier.Outcome = "failed: HTTP 500";

        var (status, body) = await h.SendAsync(HttpMethod.Post, Path, await h.TokenAsync(Role.Deployer));

        Assert.Equal(503, status);
        Assert.Equal(($"drift alert {AdminOperations.AlertId}: the webhook post (attempt 1) failed: HTTP 500; recorded on the alert (glidepath monitor --env staging shows it); resend it again once the receiver answers", 3), Error(body));
        var alert = await h.F.Store.Monitor.GetAlertAsync(h.F.Manifest.App, AdminOperations.AlertId, default);
        Assert.Equal(("failed: HTTP 500", 1), (alert!.Notification, alert.DeliveryAttempts));
    }

    private static async Task<AdminHarness> StartAsync(Func<Glidepath.Gateway.GatewayServerOptions, Glidepath.Gateway.GatewayServerOptions>? server = null)
    {
        var h = await AdminHarness.StartAsync(server);
        await h.F.Store.Monitor.SaveAlertAsync(h.Alert(AdminOperations.AlertId, "staging", h.F.V1.Id), default);
        return h;
    }

    private static (string Error, int ExitCode) Error(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("error").GetString()!, doc.RootElement.GetProperty("exit_code").GetInt32());
    }
}
