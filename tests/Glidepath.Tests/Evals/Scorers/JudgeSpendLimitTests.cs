using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Scorers;

/// <summary>
/// Trial gatejudge3 M2: a judge call that got no answer (a timeout, a dropped connection) was counted as nothing, so a
/// judge slower than the timeout let 128 calls through a cap of 10. It now counts at the dearest call known. L1: trials
/// started while the judge had room for fewer answers asked the release for nothing; L2: a spent cap says what is spent.
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

    [Fact]
    public void Reached_SpendAtOrOverTheCap_SaysWhatIsSpent()
    {
        var limit = new JudgeSpendLimit(0.2);
        limit.CountSpent(0.4485, 0.0015);

        Assert.Equal("the judge's spend limit of $0.2 is reached: $0.448 is spent", limit.Reached());
    }

    // Trial gatejudge3 L1: at one call of headroom a resume asked the release 32 times (its concurrency) for one judge answer.
    [Fact]
    public async Task AdmitAsync_OnceACostIsKnown_AdmitsOnlyTheTrialsTheHeadroomPaysFor_TheNextWaitsForOneToEnd()
    {
        var limit = new JudgeSpendLimit(0.35);
        limit.CountSpent(0.1, 0.1);

        await limit.AdmitAsync(CancellationToken.None);
        await limit.AdmitAsync(CancellationToken.None);
        var third = limit.AdmitAsync(CancellationToken.None);
        Assert.False(third.IsCompleted); // $0.1 spent + 3 × $0.1 would pass $0.35

        limit.Unadmit(); // a trial whose release call failed: its room is free again
        await third;
    }

    [Fact]
    public async Task AdmitAsync_TheAdmittedTrialsCallSpendsTheLast_TheTrialWaitingIsRefused()
    {
        var limit = new JudgeSpendLimit(0.25);
        limit.CountSpent(0.1, 0.1);
        await limit.AdmitAsync(CancellationToken.None);
        var second = limit.AdmitAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        await limit.ReserveAsync(admitted: true, CancellationToken.None);
        limit.Settled(0.1);

        var refused = await Assert.ThrowsAsync<ScorerException>(() => second);
        Assert.StartsWith("the judge's spend limit of $0.25 is reached: $0.2 is spent and one call has cost up to $0.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitAsync_BeforeAnyCostIsKnown_AdmitsAsTrialsCome()
    {
        var limit = new JudgeSpendLimit(0.25);

        await limit.AdmitAsync(CancellationToken.None);
        await limit.AdmitAsync(CancellationToken.None);
        await limit.ReserveAsync(admitted: true, CancellationToken.None);
        var second = limit.ReserveAsync(admitted: true, CancellationToken.None);

        Assert.False(second.IsCompleted); // the calls themselves still go one at a time until a cost is known
        limit.Settled(0.1);
        await second;
    }
}
