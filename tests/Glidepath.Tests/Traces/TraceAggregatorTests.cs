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
