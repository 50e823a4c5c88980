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

    // Outside trial (author #11): 3 of 7 trials scored 0.95 and passed, 4 errored: "pass rate 42.9%" (errors in the
    // denominator) beside "mean score 0.950" (errors left out). Both are of the scored trials now.
    [Fact]
    public void Build_SomeTrialsErrored_PassRateAndMeanScoreAreBothOfTheScoredTrials()
    {
        var builder = new RunSummaryBuilder("r");
        for (var i = 0; i < 3; i++)
        {
            builder.Add(Trial(i, TrialStatus.Pass) with { Score = 0.95 });
        }

        for (var i = 3; i < 7; i++)
        {
            builder.Add(Trial(i, TrialStatus.Error) with { Score = 0 });
        }

        var summary = builder.Build();

        Assert.Equal((7, 3, 4), (summary.Trials, summary.Passed, summary.Errors));
        Assert.Equal(1.0, summary.PassRate);
        Assert.Equal(0.95, summary.MeanScore!.Value, 12);
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
