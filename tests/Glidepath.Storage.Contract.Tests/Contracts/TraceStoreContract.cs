using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Traces: stored once per id, summed per arm by minute and subject group, with feedback counted by the domain's rule.</summary>
public abstract class TraceStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 10, TimeSpan.Zero);

    internal static TraceRecord Trace(string id, string release = "r1", string arm = "stable", int status = 200, double latency = 100, double cost = 0.01, DateTimeOffset? at = null, string? subject = null) => new()
    {
        TraceId = id,
        App = "app",
        Environment = "staging",
        ReleaseId = release,
        Arm = arm,
        SubjectHash = subject,
        StartedAt = at ?? T0,
        Api = "openai",
        Status = status,
        LatencyMs = latency,
        OverheadMs = 0.2,
        InputTokens = 10,
        OutputTokens = 5,
        CostUsd = cost,
    };

    [Fact]
    public async Task ArmStatsAsync_TwoArms_SumsPerArm()
    {
        await Store.Traces.WriteBatchAsync([Trace("t1"), Trace("t2", status: 502), Trace("t3", "r2", "canary", latency: 30)], None);
        await Store.Traces.WriteBatchAsync([Trace("t4", at: T0.AddMinutes(2))], None);

        var stats = await Store.Traces.ArmStatsAsync("app", "staging", T0.AddSeconds(-5), null, None);

        var stable = Assert.Single(stats, s => s.Arm == "stable");
        Assert.Equal((3L, 1L, 2L), (stable.Count, stable.Errors, stable.LatencyCount));
        Assert.Equal(200, stable.LatencyMsSum, 6); // the 502 is an error, not a latency of the release
        Assert.Equal(2, stable.LatencyHistogram[LatencyBuckets.IndexOf(100)]);
        Assert.Equal(3, stable.Groups.Sum(g => g.Count));
        Assert.Equal(SubjectGroups.Count, stable.Groups.Count);
        var canary = Assert.Single(stats, s => s.Arm == "canary");
        Assert.Equal((1L, 0L, 10L), (canary.Count, canary.Errors, canary.InputTokens));
        Assert.Equal(["r1", "r2"], stats.Select(s => s.ReleaseId));
    }

    [Fact]
    public async Task ArmStatsAsync_BatchesInTheSameMinuteAndGroup_MergeIntoOneRow()
    {
        var subject = new string('a', 64);
        var online = Trace("o1", subject: subject, latency: 400) with { OnlineScore = 0.25, OnlinePassed = false };
        await Store.Traces.WriteBatchAsync([Trace("m1", subject: subject, latency: 100, cost: 0.5), online], None);
        await Store.Traces.WriteBatchAsync([Trace("m2", subject: subject, latency: 100, cost: 1.5, at: T0.AddSeconds(30)), Trace("m3", status: 503, subject: subject)], None);

        var stats = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0, null, None));
        var group = stats.Groups[SubjectGroups.Of(subject, "")];

        Assert.Equal((4L, 1L, 3L), (group.Count, group.Errors, group.LatencyCount));
        Assert.Equal(stats.Count, group.Count);
        Assert.Equal(600, group.LatencyMsSum, 9);
        Assert.Equal((2 * Math.Log(100)) + Math.Log(400), group.LogLatencySum, 9);
        Assert.Equal(2.01, group.CostSum, 9); // answered requests only: m3's 0.01 failed
        Assert.Equal((0.5 * 0.5) + (1.5 * 1.5) + (0.01 * 0.01), group.CostSquares, 9);
        Assert.Equal((40L, 20L), (group.InputTokens, group.OutputTokens));
        Assert.Equal(2, group.LatencyHistogram[LatencyBuckets.IndexOf(100)]);
        Assert.Equal(1, group.LatencyHistogram[LatencyBuckets.IndexOf(400)]);
        Assert.Equal((1L, 0L, 0.25, 0.0625), (group.OnlineScored, group.OnlinePassed, group.OnlineScoreSum, group.OnlineScoreSquares));
    }

    // retry_rate's counts (migration 0028): a call that needed a retry is counted whatever the caller got, and a request
    // whose provider call was not counted (attempts 0) is in neither count; merged per row across batches like every sum.
    [Fact]
    public async Task ArmStatsAsync_ProviderAttempts_CountCallsAndRetriedCallsPerRowAndGroup()
    {
        var subject = new string('b', 64);
        await Store.Traces.WriteBatchAsync([Trace("r1", subject: subject) with { Attempts = 1 }, Trace("r2", subject: subject) with { Attempts = 3 }], None);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("r3", status: 502, subject: subject, at: T0.AddSeconds(20)) with { Attempts = 4 },
            Trace("r4", status: 503, subject: subject, at: T0.AddSeconds(30)) with { Attempts = 0 },
            Trace("r5", "r2", "canary") with { Attempts = 2 },
        ], None);

        var stats = await Store.Traces.ArmStatsAsync("app", "staging", T0, null, None);

        var stable = Assert.Single(stats, s => s.Arm == "stable");
        Assert.Equal((4L, 2L, 3L, 2L), (stable.Count, stable.Errors, stable.ProviderCalls, stable.RetriedCalls));
        var group = stable.Groups[SubjectGroups.Of(subject, "")];
        Assert.Equal((3L, 2L), (group.ProviderCalls, group.RetriedCalls));
        var canary = Assert.Single(stats, s => s.Arm == "canary");
        Assert.Equal((1L, 1L), (canary.ProviderCalls, canary.RetriedCalls));
        Assert.Equal(3, (await Store.Traces.GetAsync("r2", None))!.Attempts);
    }

    // first_token_latency's sums (migration 0029): answered streams with a first token only, not a whole answer (even one
    // whose trace carries a time to first token), not a failed stream; merged per row and subject group across batches.
    [Fact]
    public async Task ArmStatsAsync_FirstTokens_SumLogsOfAnsweredStreamsPerRowAndGroup()
    {
        var subject = new string('c', 64);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("f1", subject: subject, latency: 900) with { Stream = true, TimeToFirstTokenMs = 100 },
            Trace("f2", subject: subject, latency: 900) with { TimeToFirstTokenMs = 900 },
        ], None);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("f3", subject: subject, latency: 1200, at: T0.AddSeconds(20)) with { Stream = true, TimeToFirstTokenMs = 400 },
            Trace("f4", status: 504, subject: subject, at: T0.AddSeconds(30)) with { Stream = true, TimeToFirstTokenMs = 50 },
            Trace("f5", subject: subject, at: T0.AddSeconds(40)) with { Stream = true },
            Trace("f6", "r2", "canary") with { Stream = true, TimeToFirstTokenMs = 2500 },
        ], None);

        var stats = await Store.Traces.ArmStatsAsync("app", "staging", T0, null, None);

        var stable = Assert.Single(stats, s => s.Arm == "stable");
        Assert.Equal((5L, 4L, 2L), (stable.Count, stable.LatencyCount, stable.FirstTokenCount));
        Assert.Equal(Math.Log(100) + Math.Log(400), stable.LogFirstTokenSum, 9);
        Assert.Equal((Math.Log(100) * Math.Log(100)) + (Math.Log(400) * Math.Log(400)), stable.LogFirstTokenSquares, 9);
        var group = stable.Groups[SubjectGroups.Of(subject, "")];
        Assert.Equal(2L, group.FirstTokenCount);
        Assert.Equal(Math.Log(100) + Math.Log(400), group.LogFirstTokenSum, 9);
        var canary = Assert.Single(stats, s => s.Arm == "canary");
        Assert.Equal(1L, canary.FirstTokenCount);
        Assert.Equal(Math.Log(2500), canary.LogFirstTokenSum, 9);
    }

    // The errors a caller's request alone can cause on one arm (migration 0030): refusals of the request and timeouts
    // that count as errors, not a provider's own failure, not a request the gateway refused as the caller's mistake;
    // merged per row and subject group across batches.
    [Fact]
    public async Task ArmStatsAsync_OneArmErrors_CountRefusalsAndTimeoutsPerRowAndGroup()
    {
        var subject = new string('d', 64);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("o1", status: 400, subject: subject) with { Error = "provider_rejected" },
            Trace("o2", status: 504, subject: subject) with { Error = "timeout" },
            Trace("o3", status: 502, subject: subject) with { Error = "upstream_error" },
        ], None);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("o4", status: 400, subject: subject, at: T0.AddSeconds(20)) with { Error = "missing_variable" },
            Trace("o5", status: 400, subject: subject, at: T0.AddSeconds(30)) with { Error = TraceRecord.Refused },
            Trace("o6", status: 200, subject: subject, at: T0.AddSeconds(40)),
            Trace("o7", "r2", "canary", status: 504) with { Error = "timeout" },
        ], None);

        var stats = await Store.Traces.ArmStatsAsync("app", "staging", T0, null, None);

        var stable = Assert.Single(stats, s => s.Arm == "stable");
        Assert.Equal((4L, 3L), (stable.Errors, stable.OneArmErrors));
        Assert.Equal(3L, stable.Groups[SubjectGroups.Of(subject, "")].OneArmErrors);
        var canary = Assert.Single(stats, s => s.Arm == "canary");
        Assert.Equal((1L, 1L), (canary.Errors, canary.OneArmErrors));
    }

    // cancel_rate's count (migration 0031): a request the caller closed before the answer ended (499) is a request of its
    // arm, not an error, and in no latency or cost sum; its time to first token, when it had one, is kept. Merged per row
    // and subject group across batches (outside trial sdkapp2).
    [Fact]
    public async Task ArmStatsAsync_CallerClosed_CountedAsCancelledNotInLatencyOrCost_FirstTokenKept()
    {
        var subject = new string('e', 64);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("c1", subject: subject, latency: 900, cost: 0.02) with { Stream = true, TimeToFirstTokenMs = 100 },
            Trace("c2", status: 499, subject: subject, latency: 150, cost: 0.005) with { Error = "client_closed", Stream = true, TimeToFirstTokenMs = 120 },
        ], None);
        await Store.Traces.WriteBatchAsync(
        [
            Trace("c3", status: 499, subject: subject, latency: 80, cost: 0.001, at: T0.AddSeconds(20)) with { Error = "client_closed", Stream = true },
            Trace("c4", status: 499, subject: subject, latency: 300, at: T0.AddSeconds(30)) with { Error = "client_closed" },
            Trace("c5", "r2", "canary", status: 499, latency: 50) with { Error = "client_closed" },
        ], None);

        var stats = await Store.Traces.ArmStatsAsync("app", "staging", T0, null, None);

        var stable = Assert.Single(stats, s => s.Arm == "stable");
        Assert.Equal((4L, 0L, 3L, 1L), (stable.Count, stable.Errors, stable.Cancelled, stable.LatencyCount));
        Assert.Equal(900, stable.LatencyMsSum, 6);
        Assert.Equal(0.02, stable.CostSum, 9);
        Assert.Equal(1, stable.LatencyHistogram.Sum());
        Assert.Equal(2L, stable.FirstTokenCount);
        Assert.Equal(Math.Log(100) + Math.Log(120), stable.LogFirstTokenSum, 9);
        var group = stable.Groups[SubjectGroups.Of(subject, "")];
        Assert.Equal((4L, 3L, 1L), (group.Count, group.Cancelled, group.LatencyCount));
        var canary = Assert.Single(stats, s => s.Arm == "canary");
        Assert.Equal((1L, 1L, 0L, 0L), (canary.Count, canary.Cancelled, canary.Errors, canary.LatencyCount));
    }

    // retry_rate leaves out calls that ended in an error a caller's request alone can cause on one arm (outside trial
    // attacker3: requests only stable timed out on, every attempt, lowered the canary's retry_rate against stable).
    [Fact]
    public async Task ArmStatsAsync_CallsEndingInATimeoutOrRefusal_NotInRetryRatesCounts()
    {
        await Store.Traces.WriteBatchAsync(
        [
            Trace("q1") with { Attempts = 2 },
            Trace("q2", status: 504) with { Error = "timeout", Attempts = 4 },
            Trace("q3", status: 400) with { Error = "provider_rejected", Attempts = 1 },
            Trace("q4", status: 502) with { Error = "upstream_error", Attempts = 4 },
        ], None);

        var stable = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0, null, None));

        Assert.Equal((4L, 3L, 2L), (stable.Count, stable.Errors, stable.OneArmErrors));
        Assert.Equal((2L, 2L), (stable.ProviderCalls, stable.RetriedCalls));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(59.999)]
    public async Task ArmStatsAsync_AdjacentWindows_NeverCountAMinuteTwice(double secondsIntoMinute)
    {
        // One request per second over three minutes, windows that meet at an arbitrary instant (issue 21 item 2).
        var start = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var traces = Enumerable.Range(0, 180).Select(i => Trace($"w{i}", at: start.AddSeconds(i))).ToList();
        await Store.Traces.WriteBatchAsync(traces, None);
        var cut = start.AddMinutes(1).AddSeconds(secondsIntoMinute);

        var before = (await Store.Traces.ArmStatsAsync("app", "staging", start, cut, None)).Sum(s => s.Count);
        var after = (await Store.Traces.ArmStatsAsync("app", "staging", cut, start.AddMinutes(3), None)).Sum(s => s.Count);
        var within = (await Store.Traces.ArmStatsAsync("app", "staging", cut, cut.AddSeconds(0.0005), None)).Sum(s => s.Count);

        Assert.Equal(180, before + after);
        Assert.Equal(60, before);
        Assert.Equal(0, within);
    }

    [Fact]
    public async Task ArmStatsAsync_OtherAppOrEnvironment_NotCounted()
    {
        await Store.Traces.WriteBatchAsync([Trace("a1"), Trace("a2") with { Environment = "production" }, Trace("a3") with { App = "other" }], None);

        Assert.Equal(1, Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, None)).Count);
        Assert.Empty(await Store.Traces.ArmStatsAsync("nobody", "staging", T0.AddMinutes(-1), null, None));
    }

    [Fact]
    public async Task WriteBatchAsync_RefusedRequest_StoredButNotCounted()
    {
        await Store.Traces.WriteBatchAsync([Trace("ok"), Trace("refused", status: 400) with { Error = "bad_request" }], None);

        var stats = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, None));

        Assert.NotNull(await Store.Traces.GetAsync("refused", None));
        Assert.Equal((1L, 0L), (stats.Count, stats.Errors));
    }

    [Fact]
    public async Task WriteBatchAsync_SameTraceTwice_CountedOnce()
    {
        await Store.Traces.WriteBatchAsync([Trace("t1")], None);
        await Store.Traces.WriteBatchAsync([Trace("t1", latency: 900)], None);
        await Store.Traces.WriteBatchAsync([Trace("t2"), Trace("t2")], None);

        var stats = await Store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, None);

        Assert.Equal(2, Assert.Single(stats).Count);
        Assert.Equal(100, (await Store.Traces.GetAsync("t1", None))!.LatencyMs);
    }

    [Fact]
    public async Task WriteBatchAsync_EveryField_ReadBackAsWritten()
    {
        var trace = Trace("0123456789abcdef0123456789abcdef", subject: "ff00") with
        {
            StartedAt = new DateTimeOffset(2026, 11, 26, 10, 0, 10, 123, TimeSpan.FromHours(1)).AddTicks(4567),
            Stream = true,
            Model = "m-1",
            Status = 502,
            Error = "provider_error",
            UpstreamStatus = 503,
            UpstreamMessage = "overloaded",
            TimeToFirstTokenMs = 12.5,
            FinishReason = "stop",
            InputJson = "[{\"role\":\"user\"}]",
            OutputText = "hello",
            OnlineScore = 0.75,
            OnlinePassed = true,
            OnlineScoresJson = "[]",
            Attempts = 4,
        };
        await Store.Traces.WriteBatchAsync([trace], None);

        var read = await Store.Traces.GetAsync(trace.TraceId, None);

        Assert.Equal(trace, read);
        Assert.Equal(TimeSpan.Zero, read!.StartedAt.Offset);
        Assert.Null(await Store.Traces.GetAsync("ffff", None));
    }

    [Fact]
    public async Task DeleteBeforeAsync_OldTracesInSmallBatches_OldestFirstWithFeedbackAndAggregatesKept()
    {
        var old = Enumerable.Range(0, 7).Select(i => Trace($"old{i}", at: T0.AddMinutes(-60 + i))).ToList();
        await Store.Traces.WriteBatchAsync([.. old, Trace("new", at: T0), Trace("other", at: T0.AddMinutes(-60)) with { App = "other" }], None);
        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("old0", 1, null, T0), None));

        var first = await Store.Traces.DeleteBeforeAsync("app", T0.AddMinutes(-1), 3, None);
        var oldestLeft = await Store.Traces.GetAsync("old3", None);
        var rest = await Store.Traces.DeleteBeforeAsync("app", T0.AddMinutes(-1), 10, None);

        Assert.Equal(3, first);
        Assert.Null(await Store.Traces.GetAsync("old0", None));
        Assert.NotNull(oldestLeft);
        Assert.Equal(4, rest);
        Assert.Empty(await Store.Traces.FeedbackAsync("old0", None));
        Assert.NotNull(await Store.Traces.GetAsync("new", None));
        Assert.NotNull(await Store.Traces.GetAsync("other", None));
        var stats = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-61), null, None));
        Assert.Equal(8L, stats.Count); // the judge's per-minute sums outlive the rows
    }

    [Fact]
    public async Task AddFeedbackAsync_UnknownTrace_ReturnsFalseAndStoresNothing()
    {
        Assert.False(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("nope", 1, null, T0), None));

        Assert.Empty(await Store.Traces.FeedbackAsync("nope", None));
    }

    [Fact]
    public async Task AddFeedbackAsync_KnownTrace_LatestVoteKeptAndCountedPerArm()
    {
        await Store.Traces.WriteBatchAsync([Trace("t1", "r2", "canary"), Trace("t2", "r2", "canary")], None);
        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, "wrong refund window", T0), None));
        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", 0.8, null, T0.AddSeconds(1)), None));
        Assert.True(await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t2", -1, "wrong refund window", T0.AddSeconds(2)), None));

        var feedback = await Store.Traces.FeedbackAsync("t1", None);
        var canary = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, None));

        // One vote per trace: the later one replaces the earlier.
        var vote = Assert.Single(feedback);
        Assert.Equal((0.8, (string?)null, T0.AddSeconds(1)), (vote.Score, vote.Comment, vote.Time));
        Assert.Equal("wrong refund window", Assert.Single(await Store.Traces.FeedbackAsync("t2", None)).Comment);
        Assert.Equal((2L, 1L), (canary.FeedbackCount, canary.FeedbackPositive));
        Assert.Equal(-0.2, canary.FeedbackSum, 6);
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.49999999999999994, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public async Task ArmStatsAsync_FeedbackAtTheThreshold_CountsAsPositiveInTheTracesGroup(double score, bool positive)
    {
        Assert.Equal(0.5, FeedbackScore.PositiveThreshold);
        var subject = new string('c', 64);
        await Store.Traces.WriteBatchAsync([Trace("t1", subject: subject)], None);
        await Store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", score, null, T0), None);

        var stats = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, None));

        var expected = (1L, positive ? 1L : 0L);
        Assert.Equal(expected, (stats.FeedbackCount, stats.FeedbackPositive));
        Assert.Equal(expected, (stats.Groups[SubjectGroups.Of(subject, "t1")].FeedbackCount, stats.Groups[SubjectGroups.Of(subject, "t1")].FeedbackPositive));
    }

    [Fact]
    public async Task ArmStatsAsync_FeedbackOnTracesOutsideTheWindow_NotCounted()
    {
        await Store.Traces.WriteBatchAsync([Trace("in"), Trace("out", at: T0.AddMinutes(5))], None);
        await Store.Traces.AddFeedbackAsync(new FeedbackRecord("in", 1, null, T0), None);
        await Store.Traces.AddFeedbackAsync(new FeedbackRecord("out", 1, null, T0), None);

        var stats = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", T0, T0.AddMinutes(5), None));

        Assert.Equal((1L, 1L), (stats.Count, stats.FeedbackCount));
    }

    [Fact]
    public async Task ListAsync_ByReleaseAndTime_NewestFirst()
    {
        await Store.Traces.WriteBatchAsync([Trace("a", at: T0), Trace("b", at: T0.AddSeconds(5)), Trace("d", at: T0.AddSeconds(7)), Trace("c", "r2", "canary", at: T0.AddSeconds(9))], None);

        var list = await Store.Traces.ListAsync(new TraceQuery { App = "app", Environment = "staging", ReleaseId = "r1", Since = T0.AddSeconds(1), Until = T0.AddSeconds(8) }, None);

        Assert.Equal(["d", "b"], list.Select(t => t.TraceId));
        Assert.Equal(T0.AddSeconds(9), (await Store.Traces.GetAsync("c", None))!.StartedAt);
    }

    [Fact]
    public async Task ListAsync_SameStartTime_ByIdThenLimited()
    {
        await Store.Traces.WriteBatchAsync([Trace("c2"), Trace("a1"), Trace("b9"), Trace("a0", arm: "canary")], None);

        Assert.Equal(["a0", "a1", "b9"], (await Store.Traces.ListAsync(new TraceQuery { App = "app", Limit = 3 }, None)).Select(t => t.TraceId));
        Assert.Equal(["a1"], (await Store.Traces.ListAsync(new TraceQuery { App = "app", Arm = "stable", Limit = 0 }, None)).Select(t => t.TraceId));
        Assert.Equal(["a0", "a1"], (await Store.Traces.ListAsync(new TraceQuery { App = "app", IdPrefix = "a" }, None)).Select(t => t.TraceId));
    }

    [Fact]
    public async Task ListAsync_OlderThanTheLastListed_PagesOnWithoutSkippingOrRepeatingTracesOfOneInstant()
    {
        await Store.Traces.WriteBatchAsync([Trace("a1", at: T0.AddSeconds(2)), Trace("b3", at: T0.AddSeconds(1)), Trace("b1", at: T0.AddSeconds(1)),
            Trace("b2", at: T0.AddSeconds(1)), Trace("c1", at: T0), Trace("z9", "r2", at: T0.AddSeconds(1))], None);
        var query = new TraceQuery { App = "app", ReleaseId = "r1", Limit = 2 };

        var first = await Store.Traces.ListAsync(query, None);
        var second = await Store.Traces.ListAsync(query with { OlderThan = TraceCursor.At(first[^1]) }, None);
        var third = await Store.Traces.ListAsync(query with { OlderThan = TraceCursor.At(second[^1]) }, None);

        Assert.Equal(["a1", "b1"], first.Select(t => t.TraceId));
        Assert.Equal(["b2", "b3"], second.Select(t => t.TraceId));
        Assert.Equal(["c1"], third.Select(t => t.TraceId));
        Assert.Empty(await Store.Traces.ListAsync(query with { OlderThan = TraceCursor.At(third[^1]) }, None));
    }

    [Fact]
    public async Task ListAsync_WentWrongFilters_MatchATraceThatWentWrongInAnyOfTheirWays()
    {
        await Store.Traces.WriteBatchAsync(
        [
            Trace("fine"),
            Trace("error", status: 503),
            Trace("rejected", status: 400) with { Error = "provider_rejected" },
            Trace("missing-var", status: 400) with { Error = "missing_variable" },
            Trace("failed-online") with { OnlineScore = 0.1, OnlinePassed = false },
            Trace("at-threshold"),
            Trace("below-threshold"),
            Trace("cancelled", status: 499) with { Error = "client_closed" },
        ], None);
        await Store.Traces.AddFeedbackAsync(new FeedbackRecord("at-threshold", FeedbackScore.PositiveThreshold, null, T0), None);
        await Store.Traces.AddFeedbackAsync(new FeedbackRecord("below-threshold", Math.BitDecrement(FeedbackScore.PositiveThreshold), null, T0), None);

        async Task<IEnumerable<string>> ListAsync(TraceQuery q) => (await Store.Traces.ListAsync(q, None)).Select(t => t.TraceId).Order(StringComparer.Ordinal);

        Assert.Equal(["error", "missing-var", "rejected"], await ListAsync(new TraceQuery { App = "app", ErrorsOnly = true }));
        Assert.Equal(["failed-online"], await ListAsync(new TraceQuery { App = "app", OnlineFailedOnly = true }));
        Assert.Equal(["below-threshold"], await ListAsync(new TraceQuery { App = "app", NegativeFeedbackOnly = true }));
        Assert.Equal(["below-threshold", "error", "failed-online", "missing-var", "rejected"], await ListAsync(new TraceQuery { App = "app", ErrorsOnly = true, OnlineFailedOnly = true, NegativeFeedbackOnly = true }));
        // A request its caller closed is no error (--failed lists none: outside trial cancels M2), and --cancelled lists it alone.
        Assert.Equal(["cancelled"], await ListAsync(new TraceQuery { App = "app", CancelledOnly = true }));
        Assert.Equal(["cancelled", "error", "missing-var", "rejected"], await ListAsync(new TraceQuery { App = "app", ErrorsOnly = true, CancelledOnly = true }));
    }

    [Fact]
    public async Task ListAsync_AnsweredOnly_NotCountedAgainstTheRelease_LimitCountsMatchesOnly()
    {
        await Store.Traces.WriteBatchAsync(
        [
            Trace("a-fine", at: T0),
            Trace("b-client-error", status: 400, at: T0.AddSeconds(1)) with { Error = "invalid_request" },
            Trace("c-fine", at: T0.AddSeconds(2)),
            Trace("d-error", status: 503, at: T0.AddSeconds(3)),
            Trace("e-rejected", status: 400, at: T0.AddSeconds(4)) with { Error = "provider_rejected" },
            Trace("f-timeout", status: 408, at: T0.AddSeconds(5)),
            Trace("g-slow-body", status: 408, at: T0.AddSeconds(6)) with { Error = TraceRecord.Refused },
        ], None);

        var answered = await Store.Traces.ListAsync(new TraceQuery { App = "app", AnsweredOnly = true, Limit = 2 }, None);

        // Of the four newest only the refused slow body (a 408 the caller caused) is answered: a limit applied before the
        // filter would have left one or none.
        Assert.Equal(["g-slow-body", "c-fine"], answered.Select(t => t.TraceId));
        Assert.All(answered, t => Assert.False(t.IsError));
        Assert.Equal(["a-fine", "b-client-error", "c-fine", "g-slow-body"], (await Store.Traces.ListAsync(new TraceQuery { App = "app", AnsweredOnly = true }, None)).Select(t => t.TraceId).Order(StringComparer.Ordinal));
        Assert.Equal(["d-error", "e-rejected", "f-timeout"], (await Store.Traces.ListAsync(new TraceQuery { App = "app", ErrorsOnly = true }, None)).Select(t => t.TraceId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_ScoredOnly_OnlyTracesSampledForOnlineScoringWhateverTheOutcome()
    {
        await Store.Traces.WriteBatchAsync(
        [
            Trace("unsampled"),
            Trace("passed") with { OnlineScore = 1, OnlinePassed = true },
            Trace("failed") with { OnlineScore = 0, OnlinePassed = false },
            Trace("other-release", "r2") with { OnlineScore = 1, OnlinePassed = true },
        ], None);

        async Task<IEnumerable<string>> ListAsync(TraceQuery q) => (await Store.Traces.ListAsync(q, None)).Select(t => t.TraceId).Order(StringComparer.Ordinal);

        Assert.Equal(["failed", "passed"], await ListAsync(new TraceQuery { App = "app", ReleaseId = "r1", ScoredOnly = true }));
        Assert.Equal(["failed"], await ListAsync(new TraceQuery { App = "app", ReleaseId = "r1", ScoredOnly = true, OnlineFailedOnly = true }));
    }
}
