using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>Rollback: one step back, on what the operator saw.</summary>
public sealed partial class EnvironmentService
{
    /// <summary>
    /// One step back. With an active canary (and no <paramref name="to"/>) it ends the canary and keeps the stable;
    /// otherwise it moves the stable to the previous known-good release, or to <paramref name="to"/> when that is
    /// known-good. Allowed while frozen.
    /// </summary>
    /// <param name="expectedRevision">The revision the operator looked at (a confirmation page, <c>--expect-revision</c>):
    /// when the environment has changed since, nothing is rolled back and the refusal says what changed, so two people
    /// who both saw v3 and both confirmed do not take the environment back two steps.</param>
    /// <param name="activeRollout">The environment's active rollout as read before (<see cref="Rollouts.RolloutService.RollbackAsync"/>):
    /// when the canary this rollback removes is that rollout's, the event's details name it (<c>rollout_id</c>).</param>
    public async Task<EnvironmentOutcome> RollbackAsync(string environment, Release? to, string actor, string? reason, CancellationToken cancellationToken, long? expectedRevision = null, Rollouts.Rollout? activeRollout = null)
    {
        var spec = Spec(environment);
        var state = await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var history = await environments.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        if (expectedRevision is { } negative and < 0)
        {
            throw new BadInputException($"expected revision {negative} is not a revision: they count up from 0; give the revision 'glidepath status' shows");
        }

        if (expectedRevision is { } ahead && ahead > state.Revision)
        {
            throw new BadInputException($"expected revision {ahead} is ahead of environment '{spec.Name}' (now at revision {state.Revision}); give the revision 'glidepath status' shows");
        }

        // Refused when what a rollback acts on changed since the operator looked: the stable release (a deploy, promotion
        // or another rollback) or the canary (a rollout started, or ended by the judge, an abort or a promotion: the
        // rollback meant to end that canary would otherwise move the healthy stable back). A controller's step, a pause,
        // a freeze or a shadow does not count: an emergency rollback must not be refused because the canary's weight changed.
        if (expectedRevision is { } seen && await RollbackChangedSinceAsync(spec.Name, seen, history, cancellationToken).ConfigureAwait(false) is { } moved)
        {
            throw moved;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RollbackFromAsync(spec, state, history, to, actor, reason, activeRollout, cancellationToken).ConfigureAwait(false);
            }
            catch (PolicyException)
            {
                // Lost a race (another change was written between the read and this write). When that change moved the
                // stable release or started or ended a canary, say what it was, instead of "re-run the command", which
                // would roll back a second step (or move the stable back when the canary this rollback was to end is gone).
                // Any other change (a controller's step, a freeze) leaves what the rollback acts on as it was: try again.
                var now = await environments.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
                if (now.Count == 0 || now[^1].Revision == state.Revision || attempt == 3)
                {
                    throw;
                }

                if (await RollbackChangedSinceAsync(spec.Name, state.Revision, now, cancellationToken).ConfigureAwait(false) is { } lost)
                {
                    throw lost;
                }

                (state, history) = (await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false), now);
            }
        }
    }

    /// <summary>
    /// The refusal naming what changed when an event after <paramref name="seen"/> changed what a rollback does
    /// (<see cref="EnvironmentEventKinds.ChangesRollback"/>); null when none did.
    /// </summary>
    private async Task<PolicyException?> RollbackChangedSinceAsync(string environment, long seen, IReadOnlyList<EnvironmentEvent> history, CancellationToken cancellationToken)
    {
        var since = history.Where(e => e.Revision > seen).ToList();
        if (!since.Any(e => EnvironmentEventKinds.ChangesRollback(e.Kind)))
        {
            return null;
        }

        var names = await NamesAsync(since.SelectMany(e => new[] { e.FromReleaseId, e.ToReleaseId }), cancellationToken).ConfigureAwait(false);
        return RollbackConflict.ChangedSince(environment, seen, since[^1].Revision, history, names);
    }

    private async Task<EnvironmentOutcome> RollbackFromAsync(EnvironmentSpec spec, EnvironmentState state, IReadOnlyList<EnvironmentEvent> history, Release? to, string actor, string? reason, Rollouts.Rollout? activeRollout, CancellationToken cancellationToken)
    {
        var details = new JsonObject();
        if (state.Canary is { } canary)
        {
            details["canary_cleared"] = new JsonObject { ["release_id"] = canary.ReleaseId, ["weight"] = canary.Weight };
            // The rollout this ends (the caller ends it right after): History then names it, not only its canary.
            if (activeRollout is { } rollout && rollout.Environment == state.Name && rollout.ReleaseId == canary.ReleaseId)
            {
                details["rollout_id"] = rollout.Id;
            }

            if (to is null)
            {
                return await ApplyAsync(state, state with { Canary = null }, EnvironmentEventKinds.Rollback, canary.ReleaseId, state.StableReleaseId, actor, reason, false, details, cancellationToken).ConfigureAwait(false);
            }
        }

        if (state.StableReleaseId is not { } current)
        {
            throw new PolicyException($"environment '{spec.Name}' has no stable release, so there is nothing to roll back");
        }

        var knownGood = StableHistory.KnownGood(history, current);
        var names = await NamesAsync([current, to?.Id, .. knownGood], cancellationToken).ConfigureAwait(false);
        var candidates = knownGood.Count == 0 ? "none" : string.Join(", ", knownGood.Select(names));
        string target;
        if (to is null)
        {
            target = knownGood.Count > 0
                ? knownGood[0]
                : throw new PolicyException($"environment '{spec.Name}' has no earlier known-good release to roll back to (its stable is {names(current)}); 'glidepath history --env {spec.Name}' shows what happened");
        }
        else if (to.Id == current)
        {
            throw new PolicyException($"{to.Name} is already the stable release of {spec.Name}; known-good releases to roll back to: {candidates}");
        }
        else if (!knownGood.Contains(to.Id))
        {
            var why = StableHistory.HasBeenStable(history, to.Id)
                ? $"{to.Name} was {(history.Any(e => e.Kind == EnvironmentEventKinds.Rollback && e.FromReleaseId == to.Id) ? "rolled back from" : "skipped by a rollback --to")} in {spec.Name}, so it is not known-good"
                : $"{to.Name} has never been the stable release of {spec.Name}";
            throw new PolicyException($"{why}; rollback --to accepts a known-good release ({candidates}); to ship {to.Name}, run: glidepath promote {to.Name} --env {spec.Name}");
        }
        else
        {
            target = to.Id;
        }

        details["steps_back"] = knownGood.ToList().IndexOf(target) + 1;
        var now = time.GetUtcNow();
        var next = state with { StableReleaseId = target, StableSince = now, StableBy = actor, Canary = null };
        return await ApplyAsync(state, next, EnvironmentEventKinds.Rollback, current, target, actor, reason, false, details, cancellationToken).ConfigureAwait(false);
    }
}
