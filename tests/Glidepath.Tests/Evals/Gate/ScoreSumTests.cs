using Glidepath.Evals.Gate;

namespace Glidepath.Tests.Evals.Gate;

public sealed class ScoreSumTests
{
    [Fact]
    public void Value_SameScoresInAnotherOrder_IsTheSameNumber()
    {
        // Added one by one as doubles, 0.1 + 0.2 + 0.7 and 0.7 + 0.2 + 0.1 differ in the last bit.
        Assert.NotEqual(0.1 + 0.2 + 0.7, 0.7 + 0.2 + 0.1);

        Assert.Equal(Sum(0.1, 0.2, 0.7), Sum(0.7, 0.2, 0.1));
    }

    [Theory]
    [InlineData(new[] { 1.0, 0.0, 1.0 })]
    [InlineData(new[] { 0.5, 0.25, 0.125, 1.0 })]
    [InlineData(new[] { 0.1234567890123456 })]
    public void Value_WhereAddingDoublesIsExact_IsThatSum(double[] scores) =>
        Assert.Equal(scores.Sum(), Sum(scores));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e12)]
    public void Add_NotAFiniteScoreInRange_Throws(double score) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sum(0.5, score));

    private static double Sum(params double[] scores)
    {
        var sum = new ScoreSum();
        foreach (var s in scores)
        {
            sum.Add(s);
        }

        return sum.Value;
    }
}
