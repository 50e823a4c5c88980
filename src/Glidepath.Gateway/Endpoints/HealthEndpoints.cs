using Glidepath.Routing;
using Glidepath.Serving;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tracing;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process is up. <c>/readyz</c>: traffic can be served (200 even while the control plane
/// is stale: fail static); <c>/readyz?scope=control-plane</c> is 503 while the store cannot be read.
/// </summary>
internal static class HealthEndpoints
{
    public static IResult Health() => Results.Text("ok\n");

    public static IResult Ready(HttpContext http, RoutingTableSource routes, ControlPlaneStatus status, TraceQueue queue, ServingOptions settings)
    {
        var table = routes.Current;
        var control = status.Current;
        var traffic = table is null ? "not_loaded" : table.Stable is null ? "no_stable_release" : "ready";
        var controlPlaneOnly = string.Equals(http.Request.Query["scope"], "control-plane", StringComparison.Ordinal);
        var ok = controlPlaneOnly ? !control.Stale : traffic == "ready";
        var body = new Dictionary<string, object?>
        {
            ["status"] = traffic != "ready" ? "not_ready" : control.Stale ? "degraded" : "ready",
            ["app"] = settings.Manifest.App,
            ["environment"] = settings.Environment,
            ["traffic"] = traffic,
            ["control_plane"] = control.Stale ? "stale" : "ok",
            ["revision"] = table?.Revision,
            ["stable"] = table?.Stable?.Label,
            ["canary"] = table?.Canary?.Release.Label,
            ["canary_weight"] = table?.Canary?.Weight,
            ["frozen"] = table?.Frozen,
            ["last_store_read"] = control.LastOk,
            ["stale_since"] = control.StaleSince,
            ["stale_reason"] = control.Reason,
            ["traces_queued"] = queue.Count,
            ["traces_dropped"] = queue.Dropped,
        };
        return Results.Json(body, statusCode: ok ? 200 : 503);
    }
}
