using System.Globalization;
using Glidepath.Environments;
using Glidepath.Routing;

namespace Glidepath.Rollouts;

/// <summary>
/// An advance held because the canary fails one caller key beyond stable by more than <c>error_rate</c>'s tolerance,
/// beyond chance (<see cref="KeyHarm"/>; outside trial segments H1: a canary failing 6% of one customer's requests
/// against 0.33% on stable, while everyone else's errors fell to 0, was promoted on a pooled error_rate of +0.0011).
/// </summary>
/// <remarks>
/// Checked when an advance is about to be applied and the plan judges <c>error_rate</c>, from the step's traces grouped
/// by key and subject on both arms (while a step is held so, read again at most every <see cref="KeyHarmRecheck"/>, not
/// at every tick: a review, two GROUP BYs over the whole step every 5 s for as long as the hold lasts). A key found
/// holds the step: a <c>key_harm</c> decision and a <c>rollout_held</c> history event with <c>hold: key_harm</c>, once
/// per step; the canary keeps its weight and harm still rolls back. A person looks at the key's failures and rolls back,
/// or advances with <c>rollout promote</c>; with max_hold the step is rolled back past max_duration + max_hold, as an
/// undecided hold is (a review: otherwise a caller who makes only the canary fail its own requests holds every rollout
/// of the environment for as long as nobody looks).
/// </remarks>
public sealed partial class RolloutController
{
    /// <summary>How long a key_harm finding stands before the step's traces are read again while it holds the step.</summary>
    internal static readonly TimeSpan KeyHarmRecheck = TimeSpan.FromSeconds(60);

    private async Task<KeyHarmHold?> KeyHarmAsync(Rollout rollout, JudgeDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decision.Evidence.FirstOrDefault(e => e.Metric == "error_rate") is not { } evidence)
        {
            return null;
        }

        // A finding of this step read less than KeyHarmRecheck ago stands: the hold goes on without reading the step again.
        if (_keyHarm is { } last && last.RolloutId == rollout.Id && last.Step == rollout.StepIndex && last.StepStartedAt == rollout.StepStartedAt
            && now - last.At < KeyHarmRecheck)
        {
            return last.Hold;
        }

        var hold = await ReadKeyHarmAsync(rollout, evidence, cancellationToken).ConfigureAwait(false);
        _keyHarm = hold is null ? null : new KeyHarmFound(rollout.Id, rollout.StepIndex, rollout.StepStartedAt, now, hold);
        return hold;
    }

    private async Task<KeyHarmHold?> ReadKeyHarmAsync(Rollout rollout, MetricEvidence evidence, CancellationToken cancellationToken)
    {
        var canary = await traces.ErrorsByKeyAsync(rollout.App, rollout.Environment, rollout.ReleaseId, Arm.Canary, rollout.StepStartedAt, cancellationToken).ConfigureAwait(false);
        var stable = await traces.ErrorsByKeyAsync(rollout.App, rollout.Environment, rollout.BaselineReleaseId, Arm.Stable, rollout.StepStartedAt, cancellationToken).ConfigureAwait(false);
        var found = KeyHarm.Find(canary, stable, evidence.Tolerance, evidence.Alpha);
        if (found.Count == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var worst = found[0];
        var keys = string.Join("; ", found.Select(f => string.Create(inv,
            $"key '{f.Key}': {f.CanaryErrors} errors in {f.CanaryRequests} requests on the canary ({f.CanaryRate:0.##%}) against {f.StableErrors} in {f.StableRequests} on stable ({f.StableRate:0.##%})")));
        var env = rollout.Environment;
        var release = rollout.ReleaseId.Length > 8 ? rollout.ReleaseId[..8] : rollout.ReleaseId;
        var reason = string.Create(inv,
            $"safe to advance on the judge's figures, but held: the canary fails {(found.Count == 1 ? "one caller key" : $"{found.Count} caller keys")} beyond stable by more than error_rate's {evidence.ToleranceText}, beyond chance ({keys}; statistic {worst.Statistic:0.##} > {worst.Threshold:0.##}, {worst.KeysCompared} {(worst.KeysCompared == 1 ? "key" : "keys")} compared at {worst.Level:0.######}): the pooled error_rate nets one customer's failures against the others' gains (docs/rollouts.md, \"Segments: one caller key\"); check with glidepath traces list --env {env} --key {worst.Key} --release {release} --arm canary --failed, then end it with glidepath rollback --env {env}, or advance by hand with glidepath rollout promote --env {env} --reason \"…\" (one step: the next step compares the key again; --full promotes)");
        return new KeyHarmHold(reason, found);
    }

    /// <summary>The last key_harm finding of this controller: which rollout and step, when it was read, and what it found.</summary>
    private sealed record KeyHarmFound(string RolloutId, int Step, DateTimeOffset StepStartedAt, DateTimeOffset At, KeyHarmHold Hold);

    private KeyHarmFound? _keyHarm;
}
