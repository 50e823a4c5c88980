using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Routing;
using Glidepath.Serving;
using Glidepath.Serving.Hosting;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process is up. <c>/readyz</c>: traffic can be served (200 even while the control plane
/// is stale: fail static; 503 while the stable release's model client cannot be built, its provider's key variable unset,
/// and <c>degraded</c> while only the canary's or the shadow's cannot: <see cref="ReleaseReadiness"/>, checked at each
/// table load); <c>/readyz?scope=control-plane</c> is 503 while the store cannot be read. Which releases are
/// served (stable, canary and its weight, frozen) is in the body only for a caller with an access token of a role in
/// this environment: an anonymous prober must not learn when a canary is live, or which. The same goes for why the
/// control plane is stale: the store's error names its location (user, host, port, database) and the database's own
/// text, so without the token <c>stale_reason</c> says only that the store cannot be read, and for how long (the
/// detail is in the gateway's log, logged once per outage; an access token is checked in the store, so while the store
/// is down it gets the anonymous answer too). <c>store_writes</c> says how the last background write went:
/// <c>ok</c>, <c>busy</c> (the store can be read but the write failed on a lock or a timeout; kept and retried),
/// <c>unreachable</c> (kept and retried) or <c>dropping</c> (the batch was refused, or stayed busy too long, and was
/// dropped); why, again, only with the token. <c>changes</c> says how the store's changes reach this gateway: polled,
/// pushed, or pushed but not arriving (a pooler in transaction mode; the gateway then polls often, and serving is fine,
/// so nothing turns 503 for it). A store a newer glidepath migrated under this gateway makes the control plane
/// <c>outdated</c>: traffic is served and changes are followed, but what this gateway writes may lack what the new schema
/// records, and its controller judges by its old rules, so <c>?scope=control-plane</c> is 503 until it is upgraded.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>The longest /readyz waits for a token check before answering without the release fields.</summary>
    public static readonly TimeSpan TokenCheckLimit = TimeSpan.FromMilliseconds(500);

    public static IResult Health() => Results.Text("ok\n");

    public static async Task<IResult> Ready(HttpContext http, RoutingTableSource routes, ControlPlaneStatus status, ReleaseReadiness releases, StoreWriteStatus writes, TraceQueue queue, ServingOptions settings)
    {
        var table = routes.Current;
        var servable = releases.Current;
        var control = status.Current;
        var store = writes.Current;
        var trusted = await MaySeeReleasesAsync(http, settings.Environment).ConfigureAwait(false);
        var traffic = table is null ? "not_loaded" : table.Stable is null ? "no_stable_release" : servable.StableUnservable ? "stable_not_servable" : "ready";
        var newer = status.NewerSchema;
        var controlPlaneOnly = string.Equals(http.Request.Query["scope"], "control-plane", StringComparison.Ordinal);
        var ok = controlPlaneOnly ? !control.Stale && newer is null : traffic == "ready";
        var body = new Dictionary<string, object?>
        {
            ["status"] = traffic != "ready" ? "not_ready"
                : control.Stale || newer is not null || store.State != StoreWriteState.Ok || servable.Unservable.Count > 0 ? "degraded" : "ready",
            ["app"] = settings.Manifest.App,
            ["environment"] = settings.Environment,
            ["traffic"] = traffic,
            ["traffic_reason"] = trusted ? servable.Reason : servable.PublicReason, // names a variable, never its value
            ["control_plane"] = control.Stale ? "stale" : newer is not null ? "outdated" : "ok",
            ["outdated_reason"] = newer is null ? null : OutdatedReason(newer),
            ["changes"] = Changes(status.Changes),
            ["revision"] = table?.Revision,
            ["last_store_read"] = control.LastOk,
            ["stale_since"] = control.StaleSince,
            ["stale_reason"] = trusted ? control.Reason : PublicStaleReason(control),
            ["store_writes"] = StoreWrites(store.State),
            ["store_writes_since"] = store.Since,
            ["store_busy_since"] = store.BusySince,
            ["traces_queued"] = queue.Unwritten,
            ["traces_dropped"] = queue.Dropped,
            ["traces_capture_dropped"] = queue.CaptureDropped,
            ["traces_captured_bytes"] = queue.CapturedBytes,
            ["online_capture_skipped"] = queue.Budget.OnlineSkipped,
        };
        if (trusted)
        {
            body["stable"] = table?.Stable?.Label;
            body["canary"] = table?.Canary?.Release.Label;
            body["canary_weight"] = table?.Canary?.Weight;
            body["frozen"] = table?.Frozen;
            body["canary_withheld"] = table?.CanaryWithheld; // stale past the limit: every request to stable
            body["store_writes_reason"] = store.Reason; // names the store: not for anonymous callers
            body["shadow_capture_skipped"] = queue.Budget.ShadowSkipped; // a rising count tells that a shadow is mirrored
        }

        return Results.Json(body, statusCode: ok ? 200 : 503);
    }

    private static string Changes(ChangeFeed changes) => changes switch
    {
        ChangeFeed.Pushed => "pushed",
        ChangeFeed.PushedNotCheckedYet => "pushed (not checked yet)",
        ChangeFeed.PushesNotArriving => "polling (pushed changes not arriving)",
        ChangeFeed.Reconnecting => "polling (push connection lost, reconnecting)",
        _ => "polling",
    };

    // Versions only, no location: for anonymous callers too.
    internal static string OutdatedReason(ControlPlaneStatus.SchemaAhead newer) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the store was migrated to schema {newer.Store} by a newer glidepath; this gateway (schema {newer.Known}) serves and follows changes, but may drop what the new version records: upgrade and restart it");

    private static string StoreWrites(StoreWriteState state) => state switch
    {
        StoreWriteState.Busy => "busy",
        StoreWriteState.Unreachable => "unreachable",
        StoreWriteState.Dropping => "dropping",
        _ => "ok",
    };

    /// <summary>
    /// Why the control plane is stale, for anyone who can reach the port: that the store cannot be read and for how long,
    /// never the store's location or its error text. Null while it is not stale. It does not promise the reason to every
    /// token: an access token is checked in the store, so while the store is down its answer is this one too (an OpenID
    /// Connect token is checked without the store).
    /// </summary>
    internal static string? PublicStaleReason(ControlPlaneStatus.StatusSnapshot control)
    {
        if (!control.Stale)
        {
            return null;
        }

        // Counted from the last good read, as the stale-canary limit is (not from the first read that failed), on the
        // monotonic clock as that limit is: a step of the wall clock does not change it.
        var since = control.StaleFor is { } staleFor ? $" for {Math.Max(0, (long)staleFor.TotalSeconds)} s" : "";
        return $"cannot read the store{since}; the reason is in the gateway's log (and in this answer with a token of a role in this environment, but a gpt_ access token only while the store can still check it)";
    }

    /// <summary>
    /// An access token of any role in <paramref name="environment"/>; anything else (none, bad, a store error, or a check
    /// slower than <see cref="TokenCheckLimit"/>: a probe must answer fast while the store is slow or down) is no.
    /// </summary>
    private static async Task<bool> MaySeeReleasesAsync(HttpContext http, string environment)
    {
        if (!http.Request.Headers.ContainsKey("Authorization") || http.RequestServices.GetService<AdminAuthenticator>() is not { } authenticator)
        {
            return false;
        }

        try
        {
            var result = await authenticator.AuthenticateAsync(http).WaitAsync(TokenCheckLimit, http.RequestAborted).ConfigureAwait(false);
            return result.Principal is { } principal && principal.Allows(environment, Role.Viewer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) // TimeoutException included
        {
            return false; // a probe must answer while the store is slow or down
        }
    }
}
