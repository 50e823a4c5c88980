using Glidepath.Manifests;
using Glidepath.Storage;

namespace Glidepath.Environments;

/// <summary>
/// The JSON answers of the environment commands (<c>status</c>, <c>history</c>, and every change: promote, rollback,
/// freeze, unfreeze), shared by the CLI's <c>--format json</c> and the admin API.
/// </summary>
public static class EnvironmentReports
{
    /// <summary>Every declared environment's status, in manifest order.</summary>
    public static Task<IReadOnlyList<EnvironmentStatusView>> StatusRowsAsync(Manifest manifest, IGlidepathStore store, CancellationToken cancellationToken) =>
        StatusRowsAsync(manifest, store, static _ => true, cancellationToken);

    /// <summary>
    /// The status of the declared environments <paramref name="readable"/> admits, in manifest order; the others' state
    /// is not read at all (the admin API's <c>/status</c> lists only the environments its caller holds a role in).
    /// </summary>
    public static async Task<IReadOnlyList<EnvironmentStatusView>> StatusRowsAsync(Manifest manifest, IGlidepathStore store, Func<string, bool> readable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(readable);
        var views = new EnvironmentViews(await store.Releases.ListAsync(manifest.App, cancellationToken).ConfigureAwait(false));
        var rows = new List<EnvironmentStatusView>();
        foreach (var spec in manifest.Environments)
        {
            if (!readable(spec.Name))
            {
                continue;
            }

            var state = await store.Environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
            var row = views.Status(spec, state);
            if (state.Canary is not null)
            {
                row = row with { RolloutWarning = await HeldWarningAsync(store, manifest.App, spec.Name, state.Revision, cancellationToken).ConfigureAwait(false) };
            }

            if (state.Shadow is { } shadow && row.Shadow is { } shown)
            {
                // An active shadow whose cap is reached, or whose candidate is now stable, mirrors nothing: say so, as shadow status does.
                var spend = await store.Shadows.SpendAsync(shadow.ShadowId, cancellationToken).ConfigureAwait(false);
                row = row with { Shadow = shown with { CapReached = spend.Reached(shadow), CandidateIsStable = shadow.ReleaseId == state.StableReleaseId } };
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The active rollout's hold warning, from the same stored decisions <c>rollout status</c> reads (<see cref="Rollouts.HoldWarning.Current"/>).</summary>
    private static async Task<string?> HeldWarningAsync(IGlidepathStore store, string app, string environment, long revision, CancellationToken cancellationToken)
    {
        if (await store.Rollouts.ActiveAsync(app, environment, cancellationToken).ConfigureAwait(false) is not { } rollout)
        {
            return null;
        }

        var decisions = await store.Rollouts.DecisionsAsync(rollout.Id, cancellationToken).ConfigureAwait(false);
        return Rollouts.HoldWarning.Current(rollout, decisions, revision);
    }

    /// <summary><c>status</c>: <c>{app, environments}</c>.</summary>
    public static object Status(string app, IReadOnlyList<EnvironmentStatusView> rows) => new { app, environments = rows };

    /// <summary><c>history</c>: <c>{app, environment, events}</c>, oldest first.</summary>
    public static object History(string app, string environment, IReadOnlyList<EnvironmentEvent> events, EnvironmentViews views)
    {
        ArgumentNullException.ThrowIfNull(views);
        return new { app, environment, events = events.Select(views.Event) };
    }

    /// <summary>A change (promote, rollback, freeze, unfreeze, deploy): <c>{changed, summary, environment, event}</c>.</summary>
    public static async Task<object> OutcomeAsync(Manifest manifest, IGlidepathStore store, EnvironmentOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(outcome);
        var views = new EnvironmentViews(await store.Releases.ListAsync(manifest.App, cancellationToken).ConfigureAwait(false));
        var spec = manifest.FindEnvironment(outcome.State.Name)!;
        return new
        {
            changed = outcome.Changed,
            summary = outcome.Summary,
            environment = views.Status(spec, outcome.State),
            @event = outcome.Event is null ? null : views.Event(outcome.Event),
            note = outcome.Note, // what a local run says on stderr (the active shadow and the new stable release), for an API caller too
        };
    }
}
