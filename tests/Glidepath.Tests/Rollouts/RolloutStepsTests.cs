using Glidepath.Errors;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>--steps (CLI and admin API) follows the manifest's rule for rollout.steps: 0.01 to 100.</summary>
public sealed class RolloutStepsTests
{
    [Theory]
    [InlineData("0.001")]
    [InlineData("0")]
    [InlineData("1,100.5")]
    [InlineData("NaN")]
    [InlineData("five")]
    public void Parse_StepOutsideTheManifestsRange_Exit2(string steps)
    {
        var ex = Assert.Throws<BadInputException>(() => RolloutSteps.Parse(steps));
        Assert.Contains("from 0.01 to 100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StepsInRange_WithOrWithoutPercentSigns()
    {
        Assert.Equal([0.01, 5, 100], RolloutSteps.Parse("0.01, 5%,100"));
        Assert.Null(RolloutSteps.Parse(" "));
    }
}
