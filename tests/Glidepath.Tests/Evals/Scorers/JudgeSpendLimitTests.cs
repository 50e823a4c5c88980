using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Scorers;

/// <summary>
/// Trial gatejudge3 M2: a judge call that got no answer (a timeout, a dropped connection) was counted as nothing, so a
/// judge slower than the timeout let 128 calls through a cap of 10. It now counts at the dearest call known.
/// </summary>
public sealed class JudgeSpendLimitTests
{
    [Fact]
    public async Task Unanswered_CountsAtTheDearestCallKnown_SoTheCapRefusesSooner()
    {
        var limit = new JudgeSpendLimit(0.025);
        await limit.ReserveAsync(CancellationToken.None);
        limit.Settled(0.01);

        await limit.ReserveAsync(CancellationToken.None);
        limit.Unanswered();

        // $0.01 answered + $0.01 for the unanswered call: one more call at $0.01 would pass $0.025.
        Assert.StartsWith("the judge's spend limit of $0.025 is reached: $0.02 is spent", limit.Reached(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ScorerException>(() => limit.ReserveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unanswered_BeforeAnyAnswer_CountsNothing_AndCallsStayOneAtATime()
    {
        var limit = new JudgeSpendLimit(0.025);
        await limit.ReserveAsync(CancellationToken.None);
        limit.Unanswered();

        Assert.Null(limit.Reached());
        await limit.ReserveAsync(CancellationToken.None);
        var second = limit.ReserveAsync(CancellationToken.None);
        Assert.False(second.IsCompleted); // no cost known yet: the next call waits for this one
        limit.Settled(0.01);
        await second;
    }
}
