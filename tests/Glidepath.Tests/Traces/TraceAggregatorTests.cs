using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class TraceAggregatorTests
{
    [Theory]
    [InlineData(400, true)]
    [InlineData(403, true)]
    [InlineData(413, true)]
    [InlineData(415, true)]
    [InlineData(431, true)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(499, false)]
    [InlineData(200, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void IsRefusal_Status_OnlyCallersMistakes(int status, bool refusal) =>
        Assert.Equal(refusal, TraceAggregator.IsRefusal(Trace(status)));

    [Fact]
    public void Aggregate_RefusedRequests_CountNeitherAsRequestsNorErrors()
    {
        var rows = TraceAggregator.Aggregate([Trace(200), Trace(400), Trace(415), Trace(431), Trace(502), Trace(429)]);

        var row = Assert.Single(rows);
        Assert.Equal((3L, 2L, 1L), (row.Count, row.Errors, row.LatencyCount));
    }

    // A retried call that then succeeded is a 200 and no error: only the retry count shows the provider failing (trial "tail").
    [Fact]
    public void Aggregate_Attempts_CountsProviderCallsAndRetriedOnesWhateverTheOutcome()
    {
        var row = Assert.Single(TraceAggregator.Aggregate(
        [
            Trace(200) with { Attempts = 1 },
            Trace(200) with { Attempts = 3 },
            Trace(502) with { Attempts = 4 },
            Trace(503) with { Attempts = 0 }, // never reached the provider (no slot), or an app's own client
            Trace(400) with { Attempts = 2 }, // the caller's mistake: not counted at all
        ]));

        Assert.Equal((4L, 2L, 3L, 2L), (row.Count, row.Errors, row.ProviderCalls, row.RetriedCalls));
    }

    [Fact]
    public void Aggregate_ProviderRejectedWhatTheReleaseSent_CountsAsAnErrorOfTheRelease()
    {
        // A canary whose settings the provider refuses must be judged (and rolled back), not dropped as the caller's mistake.
        var rejected = Trace(400) with { Error = "provider_rejected" };

        var row = Assert.Single(TraceAggregator.Aggregate([Trace(200), rejected, Trace(400) with { Error = "bad_request" }]));

        Assert.False(TraceAggregator.IsRefusal(rejected));
        Assert.Equal((2L, 1L), (row.Count, row.Errors));
    }

    [Fact]
    public void Aggregate_BodySentTooSlowly_408RefusalCountsNeitherAsARequestNorAnError()
    {
        // The gateway's 408 for a caller whose body stalled is the caller's doing; another 408 (a timeout) still counts.
        var slow = Trace(408) with { Error = TraceRecord.Refused };

        var row = Assert.Single(TraceAggregator.Aggregate([Trace(200), slow, Trace(408) with { Error = "timeout" }]));

        Assert.True(TraceAggregator.IsRefusal(slow));
        Assert.Equal((2L, 1L), (row.Count, row.Errors));
    }

    [Fact]
    public void Aggregate_PromptVariableTheCallerLeftOut_CountsAsAnErrorOfTheRelease()
    {
        // A canary whose prompt needs a per-request variable callers do not send fails every request it gets.
        var missing = Trace(400) with { Error = "missing_variable" };

        var row = Assert.Single(TraceAggregator.Aggregate([Trace(200), missing]));

        Assert.False(TraceAggregator.IsRefusal(missing));
        Assert.Equal((2L, 1L), (row.Count, row.Errors));
    }

    [Fact]
    public void Aggregate_FailedCallWithACost_CostIsSummedOverAnsweredRequestsOnly()
    {
        // A stream the provider cut is recorded with an estimated cost; cost per call is judged per answered call.
        var rows = TraceAggregator.Aggregate([Trace(200) with { CostUsd = 0.5 }, Trace(502) with { CostUsd = 0.25 }, Trace(200) with { CostUsd = 1.5 }]);

        var row = Assert.Single(rows);
        Assert.Equal((3L, 2L), (row.Count, row.LatencyCount));
        Assert.Equal(2.0, row.CostSum, 12);
        Assert.Equal((0.5 * 0.5) + (1.5 * 1.5), row.CostSquares, 12);
    }

    // Outside trial sdkapp2: a caller who closed the request (499) waited only until they left and was charged a partial
    // estimate; summed as answered, a canary whose streams every user abandoned showed latency x1.23 and cost x0.70.
    [Fact]
    public void Aggregate_CallerClosed_CountedAsRequestAndCancelled_NotInLatencyCostOrHistogram()
    {
        var answered = Trace(200) with { LatencyMs = 2000, CostUsd = 0.03, Stream = true, TimeToFirstTokenMs = 400 };
        var left = Trace(499) with { Error = "client_closed", LatencyMs = 150, CostUsd = 0.004, Stream = true };

        var row = Assert.Single(TraceAggregator.Aggregate([answered, left]));

        Assert.Equal((2L, 0L, 1L, 1L), (row.Count, row.Errors, row.Cancelled, row.LatencyCount));
        Assert.Equal(2000, row.LatencyMsSum);
        Assert.Equal(Math.Log(2000), row.LogLatencySum, 9);
        Assert.Equal(0.03, row.CostSum, 9);
        Assert.Equal(1, row.LatencyHistogram.Sum());
        Assert.Equal(0, row.LatencyHistogram[LatencyBuckets.IndexOf(150)]);
    }

    // The first token of a stream the caller closed later was delivered: first_token_latency counts it.
    [Fact]
    public void Aggregate_CallerClosedAfterTheFirstToken_KeepsItsTimeToFirstToken()
    {
        var left = Trace(499) with { Error = "client_closed", LatencyMs = 900, Stream = true, TimeToFirstTokenMs = 250 };
        var early = Trace(499) with { Error = "client_closed", LatencyMs = 90, Stream = true };

        var row = Assert.Single(TraceAggregator.Aggregate([left, early]));

        Assert.Equal((2L, 1L), (row.Cancelled, row.FirstTokenCount));
        Assert.Equal(Math.Log(250), row.LogFirstTokenSum, 9);
        Assert.Equal(0L, row.LatencyCount);
    }

    [Fact]
    public void IsCancelled_Only499()
    {
        Assert.True((Trace(499) with { Error = "client_closed" }).IsCancelled);
        Assert.False(Trace(200).IsCancelled);
        Assert.False(Trace(502).IsCancelled);
        Assert.False(Trace(408).IsCancelled);
    }

    private static TraceRecord Trace(int status) => new()
    {
        TraceId = Guid.NewGuid().ToString("N"),
        App = "support-agent",
        Environment = "staging",
        ReleaseId = "r1",
        Arm = "canary",
        SubjectHash = "abababababababab",
        StartedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero),
        Api = "openai",
        Status = status,
        LatencyMs = 100,
        OverheadMs = 1,
    };
}
