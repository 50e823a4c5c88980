using System.Globalization;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// What a gate's own latency and cost figures say about the canary that would follow it: the candidate's median latency or
/// cost per call beyond the manifest's <c>rollout.metrics</c> tolerance against the baseline's, measured over the same cases
/// (outside trial newcomer3 L13: a gate passed a release whose p50 went 1014 → 1920 ms without a word, and the canary then
/// rolled it back for latency). Only scorers decide a gate, so these are notes, never a block; a release that must be held
/// to a latency or a cost is gated with the <c>max_latency_ms</c> or <c>max_cost</c> scorer.
/// </summary>
public static class RolloutPreview
{
    /// <summary>Fewer answered trials on a side than this and its median says too little to compare.</summary>
    public const int MinTrials = 10;

    /// <summary>A median this much slower at least (ms) before a latency ratio is worth a note: a fast or cached side's ratio is noise.</summary>
    public const double MinLatencyIncreaseMs = 50;

    /// <summary>
    /// One note per metric of <paramref name="plan"/> (<c>latency</c>, <c>cost_per_call</c>; each by its <c>max_ratio</c>)
    /// on which the candidate is beyond the tolerance; empty when none is, when either side measured nothing, or with no plan.
    /// </summary>
    public static IReadOnlyList<string> Notes(RunSummary baseline, RunSummary candidate, RolloutPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var notes = new List<string>();
        if (plan is null || Answered(baseline) < MinTrials || Answered(candidate) < MinTrials)
        {
            return notes;
        }

        if (Ratio(plan, "latency") is { } latencyLimit && baseline.LatencyP50Ms is > 0 and var before && candidate.LatencyP50Ms is { } after
            && after / before > latencyLimit && after - before >= MinLatencyIncreaseMs)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"latency p50 {before:0} → {after:0} ms (×{after / before:0.00}) over these cases is beyond rollout.metrics.latency max_ratio {latencyLimit:0.##}: ") +
                "a canary of this release would likely be rolled back on latency. The gate decides on scorers only; to gate on it, add a max_latency_ms scorer (docs/eval.md)");
        }

        if (Ratio(plan, "cost_per_call") is { } costLimit && PerCall(baseline) is > 0 and var costBefore && PerCall(candidate) is { } costAfter
            && costAfter / costBefore > costLimit)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"cost per call ${costBefore:0.######} → ${costAfter:0.######} (×{costAfter / costBefore:0.00}) over these cases is beyond rollout.metrics.cost_per_call max_ratio {costLimit:0.##}: ") +
                "a canary of this release would likely be rolled back on cost. The gate decides on scorers only; to gate on it, add a max_cost scorer (docs/eval.md)");
        }

        return notes;
    }

    private static int Answered(RunSummary s) => s.Trials - s.Errors;

    private static double? PerCall(RunSummary s) => s.CostUsd is { } cost && Answered(s) > 0 ? cost / Answered(s) : null;

    private static double? Ratio(RolloutPlan plan, string metric) => plan.Metrics.TryGetValue(metric, out var tolerance) ? tolerance.MaxRatio : null;
}
