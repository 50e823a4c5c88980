using Glidepath.Evals.Runs;

namespace Glidepath.Tests.Evals.Runs;

public sealed class RunProgressTests
{
    [Fact]
    public void Eta_FirstResultsOfALargeConcurrentRun_NoEtaYet()
    {
        var first = new RunProgress(1, 2000, 1, 0, 0, TimeSpan.FromSeconds(2));
        Assert.Null(first.Eta(1));
        Assert.Null(new RunProgress(49, 2000, 49, 0, 0, TimeSpan.FromSeconds(2)).Eta(49));
    }

    [Fact]
    public void Eta_AfterFiftyOrFivePercent_AtThePaceSoFar()
    {
        Assert.Equal(TimeSpan.FromSeconds(38), new RunProgress(100, 2000, 100, 0, 0, TimeSpan.FromSeconds(2)).Eta(100));
        Assert.Equal(TimeSpan.FromSeconds(9), new RunProgress(1, 10, 1, 0, 0, TimeSpan.FromSeconds(1)).Eta(1));
        Assert.Null(new RunProgress(10, 10, 10, 0, 0, TimeSpan.FromSeconds(1)).Eta(10));
    }

    [Fact]
    public void Eta_ResumedRun_CountsOnlyThisSessionsResults()
    {
        // 900 of 1000 were done before; 5 of the remaining 100 done in 1 s.
        Assert.Equal(TimeSpan.FromSeconds(19), new RunProgress(905, 1000, 905, 0, 0, TimeSpan.FromSeconds(1)).Eta(5));
    }
}
