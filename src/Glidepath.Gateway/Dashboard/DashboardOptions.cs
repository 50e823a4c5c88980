namespace Glidepath.Gateway.Dashboard;

/// <summary>How the dashboard (<c>/dashboard</c>) behaves; it works on the admin API's store and manifest and believes its credentials.</summary>
public sealed record DashboardOptions
{
    /// <summary>How often a live page's stream (server-sent events) looks at the store for a change worth redrawing.</summary>
    public TimeSpan LivePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a sign-in lasts; the credential itself is checked again on every request, so a revoked token ends it at once.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);
}
