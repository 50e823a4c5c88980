using System.Globalization;
using Glidepath.Monitoring;
using Glidepath.Testing;

namespace Glidepath.Cli.Tests.Monitoring;

/// <summary>The webhook post itself, against a real receiver on 127.0.0.1.</summary>
public sealed class WebhookNotifierTests
{
    // Trial longrun #2: the post went out chunked, without a Content-Length; a receiver that reads Content-Length bytes
    // (Python's http.server, some proxies and serverless front ends) read an empty body while Glidepath recorded "sent".
    [Fact]
    public async Task NotifyAsync_PostsTheAlertWithAContentLengthOfItsBody_NotChunked()
    {
        using var hook = new WebhookReceiver();
        using var http = new HttpClient();
        var alert = TestDriftAlerts.Drifted("al-1", "support-agent", "production", "af5d35ae", new DateTimeOffset(2026, 12, 6, 10, 58, 0, TimeSpan.Zero)) with { DeliveryAttempts = 1 };

        var outcome = await new WebhookNotifier(http, new Uri(hook.Url)).NotifyAsync(alert, "v1+af5d35ae", CancellationToken.None);

        Assert.Equal(AlertDelivery.Sent, outcome);
        var (length, encoding, bytes) = Assert.Single(hook.Framing);
        Assert.Null(encoding);
        Assert.Equal(bytes.ToString(CultureInfo.InvariantCulture), length);
        Assert.Equal(("al-1", 1), (hook.Received[0].GetProperty("id").GetString(), hook.Received[0].GetProperty("attempt").GetInt32()));
    }
}
