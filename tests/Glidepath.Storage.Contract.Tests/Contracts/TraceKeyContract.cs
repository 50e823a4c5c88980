using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Traces carry the caller's key: listed by key name, summed per key; feedback counted once per trace, from the trace's own key.</summary>
public abstract class TraceKeyContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static TraceRecord Keyed(string id, string? keyId, string? keyName, double cost = 0.01, DateTimeOffset? at = null, string env = "staging") =>
        TraceStoreContract.Trace(id, cost: cost, at: at ?? T0) with { KeyId = keyId, KeyName = keyName, Environment = env };

    [Fact]
    public async Task ListAsync_ByKeyName_OnlyThatKeysTraces_WithIdAndName()
    {
        await Store.Traces.WriteBatchAsync([Keyed("t1", "key_a", "checkout"), Keyed("t2", "key_b", "search"), Keyed("t3", null, null)], None);

        var traces = await Store.Traces.ListAsync(new TraceQuery { App = "app", KeyName = "checkout" }, None);

        var t = Assert.Single(traces);
        Assert.Equal(("t1", "key_a", "checkout"), (t.TraceId, t.KeyId, t.KeyName));
        Assert.Null((await Store.Traces.GetAsync("t3", None))!.KeyId);
    }

    [Fact]
    public async Task CostByKeyAsync_SumsEachKeysCostSinceInOneEnvironment()
    {
        await Store.Traces.WriteBatchAsync(
        [
            Keyed("t1", "key_a", "a", cost: 0.25),
            Keyed("t2", "key_a", "a", cost: 0.5),
            Keyed("t3", "key_a", "a", cost: 9, at: T0.AddDays(-1)),
            Keyed("t4", "key_b", "b", cost: 1, env: "production"),
            Keyed("t5", null, null, cost: 3),
        ], None);

        var sums = await Store.Traces.CostByKeyAsync("app", "staging", T0.AddHours(-1), None);

        Assert.Equal(["key_a"], sums.Keys);
        Assert.Equal(0.75, sums["key_a"], 9);
    }

    [Fact]
    public async Task AddFeedbackAsync_TheTracesKeyVotesTwice_LaterVoteReplacesEarlier_AnotherKeyRefused()
    {
        await Store.Traces.WriteBatchAsync([Keyed("t1", "key_a", "a")], None);

        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, "bad", T0) { KeyId = "key_a" }, None));
        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", 1, "fine after all", T0.AddSeconds(1)) { KeyId = "key_a" }, None));
        Assert.False(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, null, T0.AddSeconds(2)) { KeyId = "key_b" }, None));
        Assert.False(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, null, T0.AddSeconds(3)), None));

        var feedback = await Store.Traces.FeedbackAsync("t1", None);
        Assert.Equal([(1.0, "key_a")], feedback.Select(f => (f.Score, f.KeyId!)));
    }

    [Fact]
    public async Task AddFeedbackAsync_AnonymousTrace_OneVoteKept_TheLatest()
    {
        await Store.Traces.WriteBatchAsync([Keyed("t1", null, null)], None);

        for (var i = 0; i < 50; i++)
        {
            Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, null, T0.AddSeconds(i)), None));
        }

        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", 1, "fine", T0.AddSeconds(60)) { KeyId = "key_a" }, None));

        var vote = Assert.Single(await Store.Traces.FeedbackAsync("t1", None));
        Assert.Equal((1.0, "fine"), (vote.Score, vote.Comment));
    }

    [Fact]
    public async Task AddFeedbackAsync_TraceOfAnotherEnvironment_NotStored()
    {
        await Store.Traces.WriteBatchAsync([Keyed("t1", "key_a", "a", env: "production")], None);

        Assert.False(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, null, T0) { KeyId = "key_a", Environment = "staging" }, None));
        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, null, T0) { KeyId = "key_a", Environment = "production" }, None));
        Assert.Single(await Store.Traces.FeedbackAsync("t1", None));
    }
}
