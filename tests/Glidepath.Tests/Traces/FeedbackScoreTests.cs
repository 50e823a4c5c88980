using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class FeedbackScoreTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(0.5, true)]
    [InlineData(0.49999999999999994, false)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void IsPositive_Score_PositiveFromTheThresholdUp(double score, bool positive) =>
        Assert.Equal(positive, FeedbackScore.IsPositive(score));
}
