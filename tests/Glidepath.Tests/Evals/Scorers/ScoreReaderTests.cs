using Glidepath.Evals.Scorers;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Tests.Evals.Scorers;

/// <summary>An evaluator's numeric metric that is not a finite number is a failed score with the reason, a scorer error (never a pass, never a NaN mean).</summary>
public sealed class ScoreReaderTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Read_NumericMetricNotFinite_ScorerErrorWithReasonAndNoScore(double value)
    {
        var outcome = Assert.Single(ScoreReader.Read("custom", 1, new EvaluationResult(new NumericMetric("quality", value))));

        Assert.False(outcome.Passed);
        Assert.Null(outcome.Score);
        Assert.Contains("not a finite number", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NumericMetricOnTheOneToFiveScale_NormalizedToZeroToOne()
    {
        var outcome = Assert.Single(ScoreReader.Read("custom", 1, new EvaluationResult(new NumericMetric("quality", 4))));

        Assert.Equal(0.8, outcome.Score!.Value, 12);
        Assert.True(outcome.Passed);
    }
}
