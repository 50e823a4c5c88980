using Glidepath.Environments;
using Glidepath.Storage;

namespace Glidepath.Shadow;

/// <summary>
/// What <c>shadow status --format json</c> prints and <c>GET /admin/v1/environments/{env}/shadow</c> answers (the dashboard's
/// shadow page shows it too): the environment's active or last shadow, and, when that shadow passes, an earlier shadow of
/// the same release judged harm (a release does not change, so the pass does not count: the exit code says so).
/// </summary>
public sealed record ShadowStatus(ShadowView Shadow, EarlierHarmView? EarlierHarm)
{
    /// <summary>
    /// <c>shadow status</c> of an environment that never had a shadow: bad input (exit 2, the admin API's 400), as
    /// <c>rollout status</c> of one that never had a rollout (trial newcomer3 L7), not a refusal by policy.
    /// </summary>
    public static Errors.BadInputException NoShadow(string environment) =>
        new($"environment '{environment}' has had no shadow; start one with: glidepath shadow start REF --env {environment} --rate 0.1");

    /// <summary>
    /// The environment's active (or last) shadow, or null when it never had one; with <paramref name="shadowId"/>, that
    /// shadow of the environment, active or not (bad input when it had no such shadow).
    /// </summary>
    public static async Task<ShadowStatus?> ReadAsync(ShadowService service, IReleaseStore releases, string app, string environment, CancellationToken cancellationToken, string? shadowId = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(releases);
        var found = shadowId is null
            ? await service.ReportAsync(environment, cancellationToken).ConfigureAwait(false)
            : await service.ReportAsync(environment, shadowId, cancellationToken).ConfigureAwait(false);
        if (found is not { } report)
        {
            return null;
        }

        var names = new EnvironmentViews(await releases.ListAsync(app, cancellationToken).ConfigureAwait(false));
        EarlierHarmView? harm = null;
        if (report.Decision.Outcome == PairedOutcome.Pass
            && (await service.EvidenceAsync(environment, report.Shadow.ReleaseId, report.StableReleaseId, cancellationToken).ConfigureAwait(false)).Harmed is { } harmed)
        {
            harm = new EarlierHarmView(harmed.Shadow.ShadowId, harmed.Decision.Reason);
        }

        return new ShadowStatus(ShadowView.From(report, names), harm);
    }
}
