using Glidepath.Access;
using Microsoft.AspNetCore.Antiforgery;

namespace Glidepath.Gateway.Dashboard;

/// <summary>What every dashboard page knows besides its own data: who is signed in, where they are, the form token, which actions they may take.</summary>
public sealed record DashboardPage
{
    public required string App { get; init; }
    public required Principal Principal { get; init; }

    /// <summary>The environments the principal may read, in manifest order.</summary>
    public required IReadOnlyList<string> Environments { get; init; }

    /// <summary>The environment the page is about, or null for app-wide pages.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// Which navigation entry is current: environments, releases, or an environment's rollout, shadow, history, traces,
    /// alerts, checklist; none for a confirmation page (confirm) or an error page (none).
    /// </summary>
    public required string Section { get; init; }
    public required string Title { get; init; }
    public required AntiforgeryTokenSet Csrf { get; init; }

    /// <summary>The actions (<see cref="DashboardAction.Name"/>) the principal may take in <see cref="Environment"/>.</summary>
    public IReadOnlySet<string> Allowed { get; init; } = new HashSet<string>();

    /// <summary>After an action, what History records for the signed-in user (<see cref="DashboardNotices"/>); never text from the request.</summary>
    public string? Notice { get; init; }

    /// <summary>The stream a live page follows (server-sent events), or null for a page that does not update by itself.</summary>
    public string? LiveStream { get; init; }

    /// <summary>How often the live stream beats when nothing changed (<see cref="DashboardOptions.LiveHeartbeat"/>): the page's clock for "not live".</summary>
    public TimeSpan LiveHeartbeat { get; init; }

    public bool Can(string action) => Allowed.Contains(action);

    /// <summary>A link to a page of <see cref="Environment"/>, e.g. <c>/dashboard/env/staging/history</c>.</summary>
    public string EnvLink(string page, string? environment = null) =>
        $"{DashboardEndpointRouteBuilderExtensions.Prefix}/env/{Uri.EscapeDataString(environment ?? Environment ?? Environments.FirstOrDefault() ?? "")}/{page}";
}
