using System.Net.Http.Headers;
using System.Text.Json;

namespace Glidepath.Monitoring;

/// <summary>
/// POSTs each alert as JSON to a URL (from GLIDEPATH_ALERT_WEBHOOK), with a Content-Length: the body is serialized first,
/// not streamed chunked, which receivers that read Content-Length bytes took as empty (trial longrun #2). The URL may
/// carry a token, so it is never printed or stored; failures are reported as "failed: status" only.
/// </summary>
public sealed class WebhookNotifier(HttpClient http, Uri url) : IAlertNotifier
{
    public const string EnvironmentVariable = "GLIDEPATH_ALERT_WEBHOOK";

    /// <summary>The notifier configured by the environment, or null when GLIDEPATH_ALERT_WEBHOOK is unset.</summary>
    public static WebhookNotifier? FromEnvironment(HttpClient http)
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? new WebhookNotifier(http, url)
            : throw new Errors.BadInputException($"{EnvironmentVariable} is not an http(s) URL; expected e.g. https://hooks.example.com/glidepath");
    }

    public async Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(AlertPayload.Build(alert, releaseLabel, alert.DeliveryAttempts), JsonSerializerOptions.Web));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? "sent" : $"failed: HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"failed: {ex.GetType().Name}";
        }
    }
}
