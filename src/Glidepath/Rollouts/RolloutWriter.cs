using System.Text.Json.Nodes;
using Glidepath.Environments;
using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>Builds a transition (rollout row + environment change + history event + decision) and applies it.</summary>
internal static class RolloutWriter
{
    public static Task<Rollout> ApplyAsync(
        IRolloutStore store,
        Rollout next,
        long expectedVersion,
        EnvironmentState current,
        EnvironmentState nextState,
        string eventKind,
        RolloutDecisionRecord decision,
        bool forced,
        JsonObject? details,
        CancellationToken cancellationToken)
    {
        details ??= [];
        details["rollout_id"] = next.Id;
        details["state"] = next.State;
        // step and weight are the rollout's after the event (the step entered, on a step or a promote); an event that
        // moves the canary to another step also names the step it left, which its decision records (step 1, 25%).
        details["step"] = next.StepIndex + 1;
        details["weight"] = next.Weight;
        if (next.StepIndex != decision.StepIndex)
        {
            details["from_step"] = decision.StepIndex + 1;
            details["from_weight"] = decision.Weight;
        }
        if (decision.EvidenceJson is { } evidence)
        {
            details["evidence"] = JsonNode.Parse(evidence);
        }

        if (RolloutCauses.Of(decision.Kind, RolloutJson.ReadEvidence(decision.EvidenceJson), next.Plan) is { } cause)
        {
            details["cause"] = cause;
        }

        var ev = new EnvironmentEvent
        {
            App = next.App,
            Environment = next.Environment,
            Revision = current.Revision + 1,
            Kind = eventKind,
            Actor = decision.Actor,
            Reason = decision.Reason,
            Time = decision.Time,
            FromReleaseId = eventKind == RolloutEventKinds.Promoted ? current.StableReleaseId : next.ReleaseId,
            ToReleaseId = eventKind == RolloutEventKinds.Promoted ? next.ReleaseId : current.StableReleaseId,
            Forced = forced,
            DetailsJson = details.ToJsonString(),
        };
        return store.TransitionAsync(new RolloutTransition
        {
            Rollout = next,
            ExpectedVersion = expectedVersion,
            Environment = new EnvironmentChange
            {
                App = next.App,
                Environment = next.Environment,
                ExpectedRevision = current.Revision,
                NewState = nextState,
                Event = ev,
            },
            Decision = decision with { RolloutId = next.Id },
        }, cancellationToken);
    }

    public static RolloutDecisionRecord Decision(Rollout rollout, string kind, string actor, string reason, DateTimeOffset time, JudgeDecision? judged = null) => new()
    {
        RolloutId = rollout.Id,
        Kind = kind,
        StepIndex = rollout.StepIndex,
        Weight = rollout.Weight,
        Actor = actor,
        Reason = reason,
        CanaryRequests = judged?.CanaryRequests ?? 0,
        StableRequests = judged?.StableRequests ?? 0,
        EvidenceJson = judged is null ? null : RolloutJson.Evidence(judged.Evidence),
        Time = time,
    };

    /// <summary>The environment state after promotion: the canary is the stable release and the split ends.</summary>
    public static EnvironmentState Promoted(EnvironmentState state, Rollout rollout, string actor, DateTimeOffset now) =>
        state with { StableReleaseId = rollout.ReleaseId, StableSince = now, StableBy = actor, Canary = null };

    /// <summary>
    /// When the environment's canary is no longer this rollout's (someone rolled back or changed it by hand), the
    /// rollout ends without touching the environment: a manual action always wins. The decision keeps the judge's last
    /// view of the step, best effort as an abort does (<see cref="StepEvidence"/>). Returns the ended rollout, or null.
    /// </summary>
    public static async Task<Rollout?> ReconcileAsync(IRolloutStore rollouts, IEnvironmentStore environments, ITraceStore traces, Rollout rollout, EnvironmentState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (state.Canary?.ReleaseId == rollout.ReleaseId)
        {
            return null;
        }

        var history = await environments.HistoryAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
        var last = history.LastOrDefault(e => e.Kind is not (RolloutEventKinds.Paused or RolloutEventKinds.Resumed or RolloutEventKinds.Step or RolloutEventKinds.Started));
        var by = last is null ? "an unknown change" : $"'{last.Kind}' by {last.Actor} (revision {last.Revision}{(last.Reason is { } r ? $": {r}" : "")})";
        var reason = $"the canary was removed outside the rollout by {by}; the rollout ends without changing the environment";
        var ended = rollout with
        {
            State = last?.Kind == RolloutEventKinds.Promoted || state.StableReleaseId == rollout.ReleaseId ? RolloutState.Promoted
                : last?.Kind is "rollback" ? RolloutState.RolledBack : RolloutState.Aborted,
            EndedAt = now,
            EndReason = reason,
        };
        var (judged, said) = await StepEvidence.ReadAsync(traces, rollout, reason, now, cancellationToken).ConfigureAwait(false);
        return await rollouts.EndExternallyAsync(ended, rollout.Version, Decision(rollout, RolloutDecisionKinds.EndedExternally, last?.Actor ?? "unknown", said, now, judged), cancellationToken).ConfigureAwait(false);
    }
}
