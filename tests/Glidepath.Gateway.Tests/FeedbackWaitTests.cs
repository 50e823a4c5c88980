using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Serving.Tracing;

namespace Glidepath.Gateway.Tests;

/// <summary>
/// Feedback on a trace this gateway issued but has not written yet waits for the batch writer, however long it takes
/// (it used to give up after 2 s and answer 404, which a loaded machine could reach).
/// </summary>
public sealed class FeedbackWaitTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();

        // The writer gathers a batch for 4 s: longer than the old fixed wait, so only waiting for the write passes.
        await _f.StartAsync(configure: s => s with { TraceFlushInterval = TimeSpan.FromSeconds(4) });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Feedback_TraceStillQueued_WaitsForTheWriteThen201()
    {
        using var served = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat("Where is my order?"));
        var id = served.Headers.GetValues("Glidepath-Trace").Single();

        using var response = await _f.PostAsync("/v1/feedback", $$"""{"trace_id":"{{id}}","score":1}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(await _f.Store.Traces.FeedbackAsync(id, default));
    }

    [Fact]
    public async Task RecentTraces_WaiterGoesOnWhenItsTraceSettles_NotBefore()
    {
        var recent = new RecentTraces(4);
        recent.Add("a");
        recent.Add("b");

        var waiting = recent.WhenSettledAsync("a", CancellationToken.None);
        recent.Settle(["b"]);
        await Task.Yield();
        var stillWaiting = !waiting.IsCompleted;
        recent.Settle(["a"]);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(stillWaiting);
        Assert.True(recent.WhenSettledAsync("never-issued", CancellationToken.None).IsCompletedSuccessfully);
    }

    // Past the gateway's wait the trace exists but is not stored yet: a 503 to retry, not "unknown trace" (a 404 tells
    // the caller not to retry). The batch writer here holds traces for 10 minutes; the feedback waits 1 s.
    [Fact]
    public async Task Feedback_TraceStillQueuedPastTheWait_503WithRetryAfter()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(configure: s => s with { TraceFlushInterval = TimeSpan.FromMinutes(10) }, server: s => s with { Gateway = s.Gateway with { FeedbackTraceWait = TimeSpan.FromSeconds(1) } });
        using var served = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat("Where is my order?"));
        var id = served.Headers.GetValues("Glidepath-Trace").Single();

        using var response = await f.PostAsync("/v1/feedback", $$"""{"trace_id":"{{id}}","score":1}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("not stored yet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
