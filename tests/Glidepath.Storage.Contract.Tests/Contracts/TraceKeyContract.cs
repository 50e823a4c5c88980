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

    // The per-key error guard of a rollout step (outside trial segments H1) reads each key's requests and errors per subject
    // on one release and arm: errors as TraceRecord.IsError counts them, the caller's mistakes and keyless requests left out.
    [Fact]
    public async Task ErrorsByKeyAsync_CountsEachKeysRequestsAndErrorsPerSubjectOnOneReleaseAndArmSince()
    {
        TraceRecord T(string id, string? key, string? subject, int status = 200, string? error = null, string release = "r2", string arm = "canary", DateTimeOffset? at = null, string env = "staging") =>
            TraceStoreContract.Trace(id, release: release, arm: arm, status: status, at: at ?? T0, subject: subject) with { KeyId = key is null ? null : "id_" + key, KeyName = key, Error = error, Environment = env };

        await Store.Traces.WriteBatchAsync(
        [
            T("t01", "acme2", "u1", 500),
            T("t02", "acme2", "u1", 400, "provider_rejected"),
            T("t03", "acme2", "u1"),
            T("t04", "acme2", "u2", 429),
            T("t05", "acme2", "u2", 400, "bad_request"), // the caller's mistake: not counted, as the judge does not count it
            T("t06", "acme2", null, 504, "timeout"),
            T("t07", "acme2", null),
            T("t08", "web", "u3"),
            T("t09", null, "u4", 500), // no key: no key's
            T("t10", "web", "u3", 500, release: "r1", arm: "stable"),
            T("t11", "web", "u3", 500, arm: "stable"),
            T("t12", "web", "u3", 500, at: T0.AddHours(-2)),
            T("t13", "web", "u3", 500, env: "production"),
            T("t14", "web", "u3", 499, "client_closed"),
        ], None);

        var rows = await Store.Traces.ErrorsByKeyAsync("app", "staging", "r2", "canary", T0.AddHours(-1), None);

        Assert.Equal(
            [("acme2", null, 2L, 1L), ("acme2", "u1", 3L, 2L), ("acme2", "u2", 1L, 1L), ("web", "u3", 2L, 0L)],
            rows.Select(r => (r.KeyName, r.SubjectHash, r.Requests, r.Errors)).OrderBy(r => r.KeyName, StringComparer.Ordinal).ThenBy(r => r.SubjectHash, StringComparer.Ordinal).ToList());
        var stable = Assert.Single(await Store.Traces.ErrorsByKeyAsync("app", "staging", "r1", "stable", T0.AddHours(-1), None));
        Assert.Equal(("web", "u3", 1L, 1L), (stable.KeyName, stable.SubjectHash, stable.Requests, stable.Errors));
    }
}
