using System.Globalization;
using System.Text;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Rollouts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// A live page's stream (server-sent events, <c>GET /dashboard/events?env=E</c>): every <see cref="DashboardOptions.LivePoll"/>
/// it reads what a live page shows of the environment — its revision (any change of stable, canary, frozen, a shadow's
/// start or stop), its rollout's state, step and decisions, the requests the judge has counted in the step — and sends
/// <c>event: change</c> when that moved, and <c>event: beat</c> when nothing was sent for <see cref="DashboardOptions.LiveHeartbeat"/>. The shadow page's stream (<c>&amp;page=shadow</c>) reads the revision and the active
/// shadow's pair count instead of the rollout: the pairs arrive without a revision change, and the other pages need not
/// redraw for each of them. The page then fetches itself again (dashboard.js). The sign-in is checked again at every
/// look: a revoked token ends the stream.
/// </summary>
internal static partial class DashboardEvents
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/events", async (HttpContext http, AdminServices s, DashboardOptions options, DashboardStreams streams, IHostApplicationLifetime lifetime) =>
        {
            var env = http.Request.Query["env"].ToString();
            var pattern = AdminEndpointRouteBuilderExtensions.Prefix + (env.Length > 0 ? "/environments/{env}/history" : "/status");
            var (page, refusal) = await DashboardRequest.AuthorizeAsync(http, "events", "Events", env.Length > 0 ? env : null, pattern);
            if (refusal is not null)
            {
                http.Response.StatusCode = refusal is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status401Unauthorized;
                return;
            }

            // Which page follows: a value the dashboard does not send is refused, never read as another page's stream.
            var shadow = http.Request.Query["page"].ToString() switch
            {
                "" => false,
                "shadow" when env.Length > 0 => true,
                _ => (bool?)null,
            };
            if (shadow is null)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var actor = page!.Principal.Actor;
            if (!streams.TryOpen(actor))
            {
                // Answered as a stream that ends at once: an EventSource given an error status shows nothing useful,
                // and this one tells the page why it is not live (dashboard.js closes it; it does not reconnect).
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-store";
                await http.Response.WriteAsync($"retry: 60000\n\nevent: busy\ndata: this sign-in already has {options.MaxLiveStreamsPerActor} live pages open\n\n", http.RequestAborted);
                return;
            }

            try
            {
                await FollowAsync(http, s, options, lifetime, env, shadow.Value);
            }
            finally
            {
                streams.Close(actor);
            }
        });

    private static async Task FollowAsync(HttpContext http, AdminServices s, DashboardOptions options, IHostApplicationLifetime lifetime, string env, bool shadow)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var auth = http.RequestServices.GetRequiredService<DashboardAuth>();
        string? last = null;
        var time = s.Options.Time;
        var written = time.GetTimestamp();
        try
        {
            await Write(response, "retry: 2000\n\n", ct);
            while (!ct.IsCancellationRequested)
            {
                if ((await auth.AuthenticateAsync(http)).Principal is not { } principal)
                {
                    await Write(response, "event: signed-out\ndata: sign in again\n\n", ct);
                    return;
                }

                // Only environments the principal may read, and only as a digest: the page needs to know that
                // something changed, not another environment's revision or rollout.
                var now = Digest(shadow
                    ? await ShadowFingerprintAsync(s, env, principal.Allows(env, Role.Viewer), ct)
                    : await FingerprintAsync(s, env.Length > 0 ? env : null, name => principal.Allows(name, Role.Viewer), ct));
                if (now != last)
                {
                    await Write(response, $"event: {(last is null ? "hello" : "change")}\ndata: {now}\n\n", ct);
                    last = now;
                    written = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(written) >= options.LiveHeartbeat)
                {
                    // Nothing changed: say so, or the page cannot tell a quiet store from a hung server or proxy. An event,
                    // not a comment: a page's script never sees comments. Sent after a look, so a store read that hangs
                    // stops the beat too.
                    await Write(response, "event: beat\ndata: 1\n\n", ct);
                    written = time.GetTimestamp();
                }

                await Task.Delay(options.LivePoll, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away or the host is stopping: the stream just ends.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store could not be read (the sign-in, its sign-out record or what the page shows): the stream ends,
            // as for a sign-in that no longer holds. The browser's reconnection is checked like any request (503).
            LogLookFailed(http.RequestServices.GetRequiredService<ILogger<DashboardAuth>>(), ex.GetType().Name);
        }
    }

    /// <summary>A short text that changes whenever something a live page shows changes (not the clock), over the environments <paramref name="readable"/> allows.</summary>
    internal static async Task<string> FingerprintAsync(AdminServices s, string? environment, Func<string, bool> readable, CancellationToken ct)
    {
        var text = new StringBuilder();
        foreach (var spec in s.Options.Manifest.Environments.Where(e => (environment is null || e.Name == environment) && readable(e.Name)))
        {
            text.Append(CultureInfo.InvariantCulture, $"{spec.Name}@{await s.Store.Environments.GetRevisionAsync(s.App, spec.Name, ct)};");
            if (await s.Store.Rollouts.LatestAsync(s.App, spec.Name, ct) is not { } rollout)
            {
                continue;
            }

            var status = await RolloutStatus.ReadAsync(s.Store, rollout, s.Options.Time.GetUtcNow(), ct);
            text.Append(CultureInfo.InvariantCulture, $"{rollout.Id[..8]}:{rollout.State}:{rollout.StepIndex}:{status.Decisions.Count}:{status.Live?.CanaryRequests}/{status.Live?.StableRequests}:{status.Lease?.Holder};");
        }

        return text.ToString();
    }

    /// <summary>
    /// What the shadow page shows changes with: the environment's revision (a shadow started or stopped, the stable
    /// changed) and the active shadow's stored pairs (its figures, spend and judge all follow from them).
    /// </summary>
    internal static async Task<string> ShadowFingerprintAsync(AdminServices s, string environment, bool readable, CancellationToken ct)
    {
        if (!readable || s.Options.Manifest.FindEnvironment(environment) is not { } spec)
        {
            return "";
        }

        var state = await s.Store.Environments.GetAsync(s.App, spec.Name, ct);
        if (state.Shadow is not { } active)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{spec.Name}@{state.Revision};");
        }

        var spend = await s.Store.Shadows.SpendAsync(active.ShadowId, ct);
        return string.Create(CultureInfo.InvariantCulture, $"{spec.Name}@{state.Revision};{active.ShadowId}:{spend.Pairs};");
    }

    private static string Digest(string fingerprint) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..16];

    private static async Task Write(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard: a live stream could not look at the store ({Error}); it ends")]
    private static partial void LogLookFailed(ILogger logger, string error);
}
