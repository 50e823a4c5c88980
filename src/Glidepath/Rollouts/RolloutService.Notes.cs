using Glidepath.Monitoring;
using Glidepath.Releases;

namespace Glidepath.Rollouts;

/// <summary>What a started rollout's starter should know: printed on stderr by <c>rollout start</c>, the admin API's <c>note</c>.</summary>
public sealed partial class RolloutService
{
    /// <summary>
    /// The warnings for a rollout just started, one a line, or null: its plan leaves retry_rate out while the provider
    /// retries (<see cref="RetryRateWarning"/>), a step cannot finish within max_duration at the stable release's last
    /// hour of traffic (<see cref="StepPaceWarning"/>), a metric its subjects' spread keeps undecided
    /// (<see cref="SubjectSpreadWarning"/>), it judges no first_token_latency while the stable release's last
    /// 24 hours were more than a tenth streamed answers (<see cref="FirstTokenLatencyWarning"/>), its plan leaves cancel_rate
    /// out while more than 1% of those requests were closed by their callers (<see cref="CancelRateWarning"/>), a step's canary would
    /// count fewer than min_subjects effective subjects over that day's subjects (<see cref="SubjectShortfallWarning"/>), or no controller holds
    /// the environment's lease (<see cref="UnjudgedWarning.AtStart"/>); and the holder of that lease while it is held.
    /// </summary>
    public async Task<(string? Note, string? JudgedBy)> StartNoteAsync(Rollout rollout, Release release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(release);
        var retry = RetryRateWarning.For(manifest, rollout.Plan, release.Snapshot().Model.Provider, rollout.Environment);
        // The stable release's last 24 hours, read once, as rollout plan reads them: the profile the warnings plan from, and its subject groups.
        var now = time.GetUtcNow();
        var day = await traces.ArmStatsAsync(manifest.App, rollout.Environment, now - TimeSpan.FromHours(24), null, cancellationToken).ConfigureAwait(false);
        var sampleRate = manifest.Online?.SampleRate ?? 0;
        var stableDay = ArmSamples.ForRelease(day, rollout.BaselineReleaseId);
        var observed = StableProfile.From(stableDay, sampleRate);
        var state = await environmentStore.GetAsync(manifest.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
        // Planned at the environment's measured rate with the stable release's subject groups, as rollout plan plans.
        var rate = await StableRate.MeasureAsync(traces, manifest.App, rollout.Environment, state.StableSince, now, cancellationToken).ConfigureAwait(false);
        var planned = RolloutPlanner.Plan(rollout.Plan, observed ?? StableProfile.Assumed(sampleRate), observed is null ? null : stableDay, rate?.RequestsPerSecond);
        var pace = rate is null ? null : StepPaceWarning.For(rollout.Plan, planned, rate.RequestsPerSecond, rate.Source, rollout.Environment);
        var spread = SubjectSpreadWarning.For(rollout.Plan, planned, rollout.Environment, rollout.BaselineReleaseId);
        var firstToken = observed is null ? null : FirstTokenLatencyWarning.For(rollout.Plan, observed, rollout.Environment);
        var cancels = observed is null ? null : CancelRateWarning.For(rollout.Plan, observed, rollout.Environment);
        var subjects = SubjectShortfallWarning.For(rollout.Plan, stableDay, rollout.Environment);
        var lease = await rollouts.LeaseAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
        var unjudged = UnjudgedWarning.AtStart(rollout.Environment, lease, time.GetUtcNow());
        return (JoinNotes(retry, pace, spread, firstToken, cancels, subjects, unjudged), unjudged is null ? lease?.Holder : null);
    }

    /// <summary>The notes given, one a line, or null when none is.</summary>
    public static string? JoinNotes(params string?[] notes) =>
        notes.Any(n => n is not null) ? string.Join('\n', notes.Where(n => n is not null)) : null;
}
