using Glidepath.Evals.Gate;

namespace Glidepath.Cli.Tests.Evals;

public sealed class OutcomeExitCodesTests
{
    [Theory]
    [InlineData(GateResult.Pass, 0)]
    [InlineData(GateResult.Blocked, 1)]
    [InlineData(GateResult.Error, 3)]
    public void For_GateResult_IsTheDocumentedExitCode(GateResult result, int expected) =>
        Assert.Equal(expected, OutcomeExitCodes.For(result));
}
