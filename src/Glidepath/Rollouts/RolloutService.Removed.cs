using Glidepath.Environments;
using Glidepath.Releases;

namespace Glidepath.Rollouts;

/// <summary>A rollout whose canary was removed outside it: ended as soon as whoever removed it is done.</summary>
public sealed partial class RolloutService
{
    /// <summary>
    /// A rollback (<see cref="EnvironmentService.RollbackAsync"/>) that, when it removes the canary of the environment's
    /// active rollout, names that rollout in its history event and ends it at once (<see cref="EndRolledBackAsync"/>).
    /// The CLI, the admin API and the dashboard roll back through here.
    /// </summary>
    public async Task<EnvironmentOutcome> RollbackAsync(string environment, Release? to, string actor, string? reason, long? expectedRevision, CancellationToken cancellationToken)
    {
        var name = environments.Spec(environment).Name;
        var active = await rollouts.ActiveAsync(manifest.App, name, cancellationToken).ConfigureAwait(false);
        var outcome = await environments.RollbackAsync(name, to, actor, reason, cancellationToken, expectedRevision, active).ConfigureAwait(false);
        return await EndRolledBackAsync(outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a rollback: when it removed the canary of the environment's active rollout, ends that rollout now
    /// (<c>ended_externally</c>, rolled back), as the controller's next pass would, and says so in the outcome's note.
    /// Before, with no controller running (an SDK app, a stopped gateway), <c>rollout status</c> showed the rollout as
    /// progressing at its step after the canary was gone (trial sdkapp). A controller that ended it first wins; the
    /// outcome is then returned as it was.
    /// </summary>
    public async Task<EnvironmentOutcome> EndRolledBackAsync(EnvironmentOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Changed || await EndRemovedAsync(outcome.State.Name, outcome.State, cancellationToken).ConfigureAwait(false) is not { } ended)
        {
            return outcome;
        }

        var line = $"rollout {ended.Id} ended ({ended.State}): its canary was removed by this rollback";
        return outcome with { Note = outcome.Note is { } note ? $"{note}\n{line}" : line };
    }

    /// <summary>Ends the environment's active rollout when <paramref name="state"/> no longer has its canary; null when there is none to end.</summary>
    private async Task<Rollout?> EndRemovedAsync(string environment, EnvironmentState state, CancellationToken cancellationToken) =>
        await rollouts.ActiveAsync(manifest.App, environment, cancellationToken).ConfigureAwait(false) is { } active
            && state.Canary?.ReleaseId != active.ReleaseId
            ? await RolloutWriter.ReconcileAsync(rollouts, environmentStore, traces, active, state, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            : null;
}
