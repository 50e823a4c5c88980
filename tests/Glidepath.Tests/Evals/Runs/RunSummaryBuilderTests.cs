using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Runs;

public sealed class RunSummaryBuilderTests
{
    private static TrialResult Trial(int trial, TrialStatus status, double latencyMs = 120, double? cost = null) => new()
    {
        RunId = "run",
        ReleaseId = "r",
        CaseId = "case-" + trial,
        Trial = 0,
        Status = status,
        Score = status == TrialStatus.Error ? null : status == TrialStatus.Pass ? 1 : 0,
        LatencyMs = latencyMs,
        CostUsd = cost,
        Error = status == TrialStatus.Error ? "provider answered 500" : null,
    };

    // An outside trial read "pass_rate: 0, mean_score: 0, latency_p50_ms: 0" for a run whose every trial errored.
    [Fact]
    public void Build_EveryTrialErrored_FiguresAreNullNotZero()
    {
        var builder = new RunSummaryBuilder("r");
        builder.Add(Trial(0, TrialStatus.Error));
        builder.Add(Trial(1, TrialStatus.Error));

        var summary = builder.Build();

        Assert.Equal((2, 2), (summary.Trials, summary.Errors));
        Assert.Equal((null, null, null, null, null), (summary.PassRate, summary.MeanScore, summary.LatencyP50Ms, summary.LatencyP95Ms, summary.CostUsd));
    }

    [Fact]
    public void Build_NoTrials_FiguresAreNull()
    {
        var summary = new RunSummaryBuilder("r").Build();

        Assert.Equal((null, null, null, null), (summary.PassRate, summary.MeanScore, summary.LatencyP50Ms, summary.LatencyP95Ms));
    }

    [Fact]
    public void Build_EveryTrialFailed_PassRateAndMeanScoreAreAMeasuredZero()
    {
        var builder = new RunSummaryBuilder("r");
        builder.Add(Trial(0, TrialStatus.Fail, latencyMs: 100));
        builder.Add(Trial(1, TrialStatus.Error));

        var summary = builder.Build();

        Assert.Equal((0.0, 0.0, 100.0), (summary.PassRate, summary.MeanScore, summary.LatencyP50Ms));
    }

    // An outside trial read "cost_usd": 0.36830399999999985: the trials' costs were added up as doubles.
    [Fact]
    public void Build_ManyPricedTrials_CostIsTheDecimalSumWithoutFloatingPointNoise()
    {
        var builder = new RunSummaryBuilder("r");
        for (var i = 0; i < 22; i++)
        {
            builder.Add(Trial(i, TrialStatus.Pass, cost: 0.016512));
        }

        for (var i = 22; i < 29; i++)
        {
            builder.Add(Trial(i, TrialStatus.Pass, cost: 0.0012));
        }

        Assert.Equal("0.371664", builder.Build().CostUsd?.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }
}
