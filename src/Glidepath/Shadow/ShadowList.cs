using Glidepath.Environments;
using Glidepath.Storage;

namespace Glidepath.Shadow;

/// <summary>
/// What <c>shadow list --format json</c> prints and <c>GET /admin/v1/environments/{env}/shadows</c> answers: every shadow
/// the environment had, newest first, each as <c>shadow status --shadow ID</c> shows it (pairs stored after its stop included).
/// </summary>
public sealed record ShadowList(string Environment, IReadOnlyList<ShadowView> Shadows)
{
    /// <summary>The environment's shadows, newest first; an empty list when it never had one.</summary>
    public static async Task<ShadowList> ReadAsync(ShadowService service, IReleaseStore releases, string app, string environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(releases);
        var reports = await service.ListAsync(environment, cancellationToken).ConfigureAwait(false);
        var names = new EnvironmentViews(await releases.ListAsync(app, cancellationToken).ConfigureAwait(false));
        return new ShadowList(reports.Count > 0 ? reports[0].Environment : environment, [.. reports.Select(r => ShadowView.From(r, names))]);
    }
}
