using Glidepath.Routing;
using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>Reads a rollout's per-arm sums from the trace aggregates.</summary>
public static class RolloutArms
{
    /// <summary>Cumulative sums since the rollout started: the canary release on the canary arm, the baseline on the stable arm.</summary>
    public static async Task<(ArmSample Canary, ArmSample Stable)> CumulativeAsync(ITraceStore traces, Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(rollout);
        var stats = await traces.ArmStatsAsync(rollout.App, rollout.Environment, rollout.StartedAt, null, cancellationToken).ConfigureAwait(false);
        var canary = stats.FirstOrDefault(s => s.ReleaseId == rollout.ReleaseId && s.Arm == Arm.Canary);
        var stable = stats.FirstOrDefault(s => s.ReleaseId == rollout.BaselineReleaseId && s.Arm == Arm.Stable);
        return (canary is null ? default : ArmSample.From(canary), stable is null ? default : ArmSample.From(stable));
    }

    /// <summary>The current step's own requests: cumulative sums minus those read when the step began.</summary>
    public static async Task<(ArmSample Canary, ArmSample Stable, ArmSample CanaryTotal, ArmSample StableTotal)> StepAsync(ITraceStore traces, Rollout rollout, CancellationToken cancellationToken)
    {
        var (canary, stable) = await CumulativeAsync(traces, rollout, cancellationToken).ConfigureAwait(false);
        return (canary.Minus(rollout.StepCanaryBaseline), stable.Minus(rollout.StepStableBaseline), canary, stable);
    }
}
