using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;

namespace Glidepath.Tests.Evals.Gate;

public sealed class RolloutPreviewTests
{
    private static readonly RolloutPlan Plan = new()
    {
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["latency"] = new() { MaxRatio = 1.25 },
            ["cost_per_call"] = new() { MaxRatio = 1.15 },
        },
    };

    private static RunSummary Side(string id, double? p50, double? cost, int trials = 44, int errors = 0) => new()
    {
        ReleaseId = id,
        Cases = trials,
        Trials = trials,
        Passed = trials - errors,
        Failed = 0,
        Errors = errors,
        PassRate = 1,
        MeanScore = 1,
        LatencyP50Ms = p50,
        LatencyP95Ms = p50,
        CostUsd = cost,
    };

    [Fact]
    public void Notes_LatencyNearlyDoubled_NamesTheFiguresTheToleranceAndTheScorer()
    {
        var note = Assert.Single(RolloutPreview.Notes(Side("b", 1014, 0.044), Side("c", 1920, 0.044), Plan));
        Assert.Equal("latency p50 1014 → 1920 ms (×1.89) over these cases is beyond rollout.metrics.latency max_ratio 1.25: a canary of this release would likely be rolled back on latency. The gate decides on scorers only; to gate on it, add a max_latency_ms scorer (docs/eval.md)", note);
    }

    [Fact]
    public void Notes_CostPerCallBeyondItsRatio_NotedPerAnsweredCall()
    {
        // 40 answered calls on the candidate (4 errored) at $0.05 is $0.00125 a call against $0.001: ×1.25 > 1.15.
        var note = Assert.Single(RolloutPreview.Notes(Side("b", 800, 0.044), Side("c", 800, 0.05, errors: 4), Plan));
        Assert.StartsWith("cost per call $0.001 → $0.00125 (×1.25) over these cases is beyond rollout.metrics.cost_per_call max_ratio 1.15", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 1240)] // within the ratio
    [InlineData(0.4, 0.9)]   // beyond the ratio, but a sub-millisecond difference (a cached or simulated side): noise
    [InlineData(100, 149)]   // ×1.49, but 49 ms
    public void Notes_LatencyWithinTheRatioOrTooSmallToMatter_Nothing(double before, double after) =>
        Assert.Empty(RolloutPreview.Notes(Side("b", before, null), Side("c", after, null), Plan));

    [Fact]
    public void Notes_NoPlanNoFiguresOrTooFewAnswers_Nothing()
    {
        Assert.Empty(RolloutPreview.Notes(Side("b", 1000, 0.01), Side("c", 3000, 0.1), plan: null));
        Assert.Empty(RolloutPreview.Notes(Side("b", null, null), Side("c", 3000, 0.1), Plan));
        Assert.Empty(RolloutPreview.Notes(Side("b", 1000, 0.01), Side("c", 3000, 0.1, trials: 12, errors: 3), Plan));
        Assert.Empty(RolloutPreview.Notes(Side("b", 1000, 0.01), Side("c", 3000, 0.1), new RolloutPlan()));
    }
}
