using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Monitoring;

/// <summary>The JSON an alert is posted as (documented in docs/monitoring.md) and listed as by <c>glidepath monitor --format json</c>.</summary>
public static class AlertPayload
{
    public const string Kind = "glidepath.drift_alert";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The alert as JSON; a post also carries its <paramref name="attempt"/> number (1, then 2, 3 … for retries of the same id).</summary>
    public static JsonObject Build(DriftAlert alert, string releaseLabel, int? attempt = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var w = alert.Windows;
        var reference = new JsonObject { ["from"] = w.ReferenceFrom.ToUniversalTime(), ["to"] = w.ReferenceTo.ToUniversalTime() };
        if (w.IsTimeMatched)
        {
            reference["windows"] = new JsonArray(w.ReferenceWindows
                .Select(x => (JsonNode)new JsonObject { ["from"] = x.From.ToUniversalTime(), ["to"] = x.To.ToUniversalTime() }).ToArray());
        }

        var body = new JsonObject
        {
            ["kind"] = Kind,
            ["id"] = alert.Id,
            ["app"] = alert.App,
            ["environment"] = alert.Environment,
            ["release"] = new JsonObject { ["id"] = alert.ReleaseId, ["label"] = releaseLabel },
            ["metric"] = alert.Metric,
            ["raised_at"] = alert.RaisedAt.ToUniversalTime(),
            ["message"] = alert.Message,
            ["recent_window"] = new JsonObject { ["from"] = w.RecentFrom.ToUniversalTime(), ["to"] = w.RecentTo.ToUniversalTime() },
            ["reference_window"] = reference,
            ["evidence"] = JsonSerializer.SerializeToNode(alert.Evidence, Options),
            ["notification"] = alert.Notification,
        };
        if (attempt is { } n)
        {
            body["attempt"] = n;
        }

        return body;
    }
}
