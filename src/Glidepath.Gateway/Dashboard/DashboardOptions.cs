namespace Glidepath.Gateway.Dashboard;

/// <summary>How the dashboard (<c>/dashboard</c>) behaves; it works on the admin API's store and manifest and believes its credentials.</summary>
public sealed record DashboardOptions
{
    /// <summary>How often a live page's stream (server-sent events) looks at the store for a change worth redrawing.</summary>
    public TimeSpan LivePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a live page's stream says it is still there when nothing changed (<c>event: beat</c>); a page that hears
    /// nothing for about two of these says it is not live and reconnects, so a hung server or proxy is not shown as live.
    /// </summary>
    public TimeSpan LiveHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a sign-in lasts; the credential itself is checked again on every request, so a revoked token ends it at once.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How many live streams one actor (a token, an OpenID Connect subject) may hold open on a host at once; each reads
    /// the store about once a second. A page opened beyond it shows that its live updates are off.
    /// </summary>
    public int MaxLiveStreamsPerActor { get; init; } = 16;

    /// <summary>
    /// The key every gateway of the app shares for the session cookie and the antiforgery tokens (derived from a secret in
    /// an environment variable), so a sign-in on one gateway holds on the others behind a load balancer; null keeps the
    /// host's own data-protection key ring. It becomes the host's only data-protection key: see
    /// <see cref="DashboardServiceCollectionExtensions.AddGlidepathDashboard"/>.
    /// </summary>
    public SessionKey? SessionKey { get; init; }
}
