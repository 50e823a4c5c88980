using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>
/// What people do to rollouts: start (with the same evidence promotion needs), pause, resume, abort and promote.
/// Every change is one transition through the environment's compare-and-swap.
/// </summary>
public sealed partial class RolloutService(
    Manifest manifest,
    EnvironmentService environments,
    IEnvironmentStore environmentStore,
    IRolloutStore rollouts,
    ITraceStore traces,
    TimeProvider time)
{
    /// <summary>Starts a canary of <paramref name="release"/> at the plan's first step, if the environment's promotion policy allows it.</summary>
    public async Task<Rollout> StartAsync(string environment, Release release, RolloutPlan plan, string actor, string? reason, bool force, CancellationToken cancellationToken) =>
        (await StartAssessedAsync(environment, release, plan, actor, reason, force, cancellationToken).ConfigureAwait(false)).Rollout;

    /// <summary>As <see cref="StartAsync"/>, with the policy's assessment it started on (its notes: a harm against an earlier stable is said, not refused).</summary>
    public async Task<(Rollout Rollout, PromotionAssessment Assessment)> StartAssessedAsync(string environment, Release release, RolloutPlan plan, string actor, string? reason, bool force, CancellationToken cancellationToken)
    {
        var (spec, state, stable, assessment) = await PrepareStartAsync(environment, release, plan, reason, force, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var id = "ro-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{manifest.App}\n{spec.Name}\n{release.Id}\n{now.UtcTicks}"))))[..12];
        var rollout = new Rollout
        {
            Id = id,
            App = manifest.App,
            Environment = spec.Name,
            ReleaseId = release.Id,
            BaselineReleaseId = stable,
            Plan = plan,
            State = RolloutState.Progressing,
            StepIndex = 0,
            StepStartedAt = now,
            Seed = id,
            StartedAt = now,
            StartedBy = actor,
            Reason = RecordedText.Reason(reason),
            Forced = !assessment.Allowed,
        };

        // Requests already counted in the rollout's first minute belong to no step of it.
        var (canaryNow, stableNow) = await RolloutArms.CumulativeAsync(traces, rollout, cancellationToken).ConfigureAwait(false);
        rollout = rollout with { StepCanaryBaseline = canaryNow, StepStableBaseline = stableNow };
        var details = new JsonObject
        {
            ["steps"] = new JsonArray(plan.Steps.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["gate_verdict_id"] = assessment.GateVerdictId,
        };
        assessment.WriteTo(details);
        var decision = RolloutWriter.Decision(rollout, RolloutDecisionKinds.Start, actor,
            string.Create(CultureInfo.InvariantCulture, $"started at {plan.Steps[0]:0.##}% (steps {string.Join(" → ", plan.Steps)}){(rollout.Reason is { } r ? $": {r}" : "")}"), now);
        return (await RolloutWriter.ApplyAsync(rollouts, rollout, 0, state, state with { Canary = new CanaryState(release.Id, plan.Steps[0], rollout.Seed) },
            RolloutEventKinds.Started, decision, rollout.Forced, details, cancellationToken).ConfigureAwait(false), assessment);
    }

    /// <summary>
    /// Throws every refusal <see cref="StartAsync"/> would give, and changes nothing: <c>rollout start working</c> checks the
    /// working tree before registering it, so a refused start leaves no release behind.
    /// </summary>
    /// <returns>The policy's assessment, for its notes (<see cref="PromotionAssessment.Notes"/>: a harm against an earlier stable is said, not refused).</returns>
    public async Task<PromotionAssessment> CheckStartAsync(string environment, Release release, RolloutPlan plan, string? reason, bool force, CancellationToken cancellationToken) =>
        (await PrepareStartAsync(environment, release, plan, reason, force, cancellationToken).ConfigureAwait(false)).Assessment;

    private async Task<(EnvironmentSpec Spec, EnvironmentState State, string Stable, PromotionAssessment Assessment)> PrepareStartAsync(
        string environment, Release release, RolloutPlan plan, string? reason, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(plan);
        var spec = environments.Spec(environment);
        if (force && string.IsNullOrWhiteSpace(reason))
        {
            throw new BadInputException("--force needs --reason \"...\": an override of the promotion policy is recorded with why it was made");
        }

        Validate(plan);
        EnvironmentGuard.EnsurePromptVariablesProvided(spec, release, "rollout start");
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        await environments.EnsureNotFrozenAsync(spec, state, release, "rollout start", $"cannot start a rollout of {release.Name} in {spec.Name}",
            assess: !force && state.Canary is null && state.StableReleaseId is { } current && current != release.Id, cancellationToken).ConfigureAwait(false);

        // A rollout whose canary someone removed (a rollback from a build before rollbacks ended it, a hand edit) is over,
        // but only a controller's pass or a rollout command records that; with no controller running (an SDK app, a
        // gateway stopped) it blocked every new rollout while status showed no canary (trial sdkapp #1). End it here, as
        // the controller would, and go on.
        if (await EndRemovedAsync(spec.Name, state, cancellationToken).ConfigureAwait(false) is not null)
        {
            state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        }

        if (state.Canary is not null || await rollouts.ActiveAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PolicyException($"environment '{spec.Name}' already has an active rollout; see: glidepath rollout status --env {spec.Name}");
        }

        if (state.StableReleaseId is not { } stable)
        {
            throw new PolicyException($"environment '{spec.Name}' has no stable release for a canary to be compared with; the first release goes in with: {await environments.FirstReleaseCommandsAsync(spec, release, cancellationToken).ConfigureAwait(false)}");
        }

        if (stable == release.Id)
        {
            throw new PolicyException($"{release.Name} is already the stable release of {spec.Name}; nothing to roll out");
        }

        var assessment = await environments.AssessAsync(spec, state, release, cancellationToken).ConfigureAwait(false);
        if (!assessment.Allowed && !force)
        {
            throw new PolicyException(
                $"cannot start a rollout of {release.Name} in {spec.Name}:{string.Concat(assessment.Missing.Select(m => "\n  - " + m))}\n" +
                "(to override, add --force --reason \"...\"; the override is recorded in the history)");
        }

        return (spec, state, stable, assessment);
    }

    /// <summary>
    /// Stops advancing: a paused rollout keeps its weight until resumed; harm is still rolled back. Pausing a paused
    /// rollout changes nothing (not a conflict).
    /// </summary>
    public Task<RolloutChange> PauseAsync(string environment, string actor, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(environment, actor, cancellationToken, (rollout, state, now) =>
            rollout.State == RolloutState.Paused
                ? null
                : (rollout with { State = RolloutState.Paused }, state, RolloutEventKinds.Paused, RolloutDecisionKinds.Pause, Why("paused", reason)));

    /// <summary>
    /// Resumes a paused rollout; the step's clock restarts (its requests so far still count). Resuming one that is
    /// progressing changes nothing (not a conflict).
    /// </summary>
    public Task<RolloutChange> ResumeAsync(string environment, string actor, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(environment, actor, cancellationToken, (rollout, state, now) =>
            rollout.State != RolloutState.Paused
                ? null
                : (rollout with { State = RolloutState.Progressing, StepStartedAt = now }, state, RolloutEventKinds.Resumed, RolloutDecisionKinds.Resume, Why("resumed", reason)));

    /// <summary>
    /// Ends the rollout: the canary gets no more traffic and the stable release stays. Allowed while frozen. The decision
    /// keeps the judge's evidence on the step at the moment of the abort, so status still shows what was seen.
    /// </summary>
    public async Task<Rollout> AbortAsync(string environment, string actor, string? reason, CancellationToken cancellationToken) =>
        (await ChangeAsync(environment, actor, cancellationToken, (rollout, state, now) =>
            (rollout with { State = RolloutState.Aborted, EndedAt = now, EndReason = Why("aborted", reason) }, state with { Canary = null },
                RolloutEventKinds.Aborted, RolloutDecisionKinds.Abort, Why("aborted", reason)), judge: true).ConfigureAwait(false)).Rollout;

    /// <summary>
    /// Moves to the next step now, without waiting for the judge (a paused rollout stays paused at the new weight);
    /// <paramref name="full"/> makes the canary the stable release.
    /// </summary>
    public async Task<Rollout> PromoteAsync(string environment, bool full, string actor, string? reason, CancellationToken cancellationToken) =>
        (await ChangeAsync(environment, actor, cancellationToken, (rollout, state, now) =>
        {
            EnvironmentGuard.EnsureNotFrozen(state, "rollout promote");
            var next = rollout.StepIndex + 1;
            if (full || next >= rollout.Plan.Steps.Count || rollout.Plan.Steps[next] >= 100)
            {
                var text = Why("promoted by hand to 100%: the canary is now the stable release", reason);
                return (rollout with { State = RolloutState.Promoted, StepIndex = rollout.Plan.Steps.Count - 1, EndedAt = now, EndReason = text },
                    RolloutWriter.Promoted(state, rollout, actor, now), RolloutEventKinds.Promoted, RolloutDecisionKinds.Promote, text);
            }

            // A paused rollout stays paused at the new weight: the operator paused it, only resume hands it back to the judge.
            var advanced = rollout with { StepIndex = next, StepStartedAt = now };
            var still = rollout.State == RolloutState.Paused ? $"; still paused (resume with: glidepath rollout resume --env {rollout.Environment})" : "";
            return (advanced, state with { Canary = state.Canary! with { Weight = advanced.Weight } }, RolloutEventKinds.Step, RolloutDecisionKinds.Advance,
                Why(string.Create(CultureInfo.InvariantCulture, $"advanced by hand {rollout.Weight:0.##}% → {advanced.Weight:0.##}% without the judge{still}"), reason));
        }, newStep: true).ConfigureAwait(false)).Rollout;

    /// <summary>The plan a command uses: the manifest's, with flags laid over it.</summary>
    public static RolloutPlan PlanFrom(Manifest manifest, IReadOnlyList<double>? steps, int? minRequests, TimeSpan? maxDuration)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (minRequests is < 1)
        {
            // Said for the flag itself: "rollout plan --min-requests 0" planned with it, exit 0.
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"--min-requests {minRequests}: expected how many requests each arm needs per step, at least 1"));
        }

        var plan = manifest.Rollout ?? new RolloutPlan();
        if (steps is { Count: > 0 })
        {
            plan = plan with { Steps = steps[^1] == 100 ? steps : [.. steps, 100] };
        }

        return plan with { MinRequests = minRequests ?? plan.MinRequests, MaxDuration = maxDuration ?? plan.MaxDuration };
    }

    private static void Validate(RolloutPlan plan)
    {
        double last = 0;
        foreach (var step in plan.Steps)
        {
            if (step <= last || step > 100)
            {
                throw new BadInputException($"rollout steps must increase within (0, 100]; got {string.Join(",", plan.Steps)}");
            }

            last = step;
        }

        if (plan.Steps.Count < 2 || plan.Steps[0] >= 100)
        {
            throw new BadInputException($"a rollout needs a first step below 100% to compare the canary with the stable release; got {string.Join(",", plan.Steps)}");
        }

        if (plan.MinRequests < 1)
        {
            throw new BadInputException($"min_requests is {plan.MinRequests}; expected at least 1");
        }

        if (plan.MaxDuration <= TimeSpan.Zero)
        {
            throw new BadInputException($"max_duration is {plan.MaxDuration}; expected a duration above zero, e.g. 30m");
        }

        _ = JudgePolicy.From(plan);
    }

    private static string Why(string what, string? reason) => RecordedText.Reason(reason) is { } why ? $"{what}: {why}" : what;

    /// <param name="change">The change to write, or null when the rollout already is as asked (nothing is written).</param>
    private async Task<RolloutChange> ChangeAsync(
        string environment,
        string actor,
        CancellationToken cancellationToken,
        Func<Rollout, EnvironmentState, DateTimeOffset, (Rollout Next, EnvironmentState State, string EventKind, string DecisionKind, string Reason)?> change,
        bool newStep = false,
        bool judge = false)
    {
        var spec = environments.Spec(environment);
        var rollout = await rollouts.ActiveAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new PolicyException($"environment '{spec.Name}' has no active rollout; start one with: glidepath rollout start REF --env {spec.Name}");
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (await RolloutWriter.ReconcileAsync(rollouts, environmentStore, traces, rollout, state, now, cancellationToken).ConfigureAwait(false) is { } ended)
        {
            throw new PolicyException($"the rollout in {spec.Name} has already ended ({ended.State}): {ended.EndReason}");
        }

        if (change(rollout, state, now) is not { } planned)
        {
            return new RolloutChange(rollout, false);
        }

        var (next, nextState, eventKind, decisionKind, reason) = planned;
        if (newStep)
        {
            var (canary, stable) = await RolloutArms.CumulativeAsync(traces, rollout, cancellationToken).ConfigureAwait(false);
            next = next with { StepCanaryBaseline = canary, StepStableBaseline = stable };
        }

        JudgeDecision? judged = null;
        if (judge)
        {
            (judged, reason) = await StepEvidence.ReadAsync(traces, rollout, reason, now, cancellationToken).ConfigureAwait(false);
        }

        // A decision records the step it was made at (the step a promote left), as the controller's decisions do.
        var decision = RolloutWriter.Decision(rollout, decisionKind, actor, reason, now, judged);
        return new RolloutChange(await RolloutWriter.ApplyAsync(rollouts, next, rollout.Version, state, nextState, eventKind, decision, false, null, cancellationToken).ConfigureAwait(false), true);
    }
}
