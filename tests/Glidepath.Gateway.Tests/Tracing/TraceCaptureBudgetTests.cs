using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// During a store outage the trace queue holds at most its budget of captured bytes (attack trial D §2: 150 requests of
/// 3.6 MB with <c>capture: all</c> took a gateway to 2.2 GB); the traces past it keep every other field.
/// </summary>
public sealed class TraceCaptureBudgetTests
{
    private const long Budget = 1024 * 1024;
    private const int Requests = 6;

    [Fact]
    public async Task TryEnqueue_StoreStalledAndLargeCapturedBodies_CapturedBytesStayUnderTheBudgetAndLaterTracesKeepMetadata()
    {
        var text = new string('a', 200_000); // about 400 KB of captured text per trace, as .NET holds it
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y
            .Replace("content: sampled", "content: all", StringComparison.Ordinal)
            // No online scoring: a sampled trace would reach the queue through the scorer's loop, out of request order.
            .Replace("sample_rate: 0.2", "sample_rate: 0", StringComparison.Ordinal));
        var store = new GatedTraceStore(f.Store.Traces); // stalled: the writer holds its first batch, the rest wait in the queue
        await f.StartAsync(s => s with { Traces = store, TraceCaptureBudgetBytes = Budget });
        var ids = new List<string>();
        JsonElement ready;
        try
        {
            for (var i = 0; i < Requests; i++)
            {
                using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(text), m => m.Headers.Add("Glidepath-Subject", "s" + i));
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                ids.Add(r.Headers.GetValues("Glidepath-Trace").Single());
            }

            // A trace is queued as its response completes: wait until all are counted (the bound turns "never" into a failure).
            ready = await ReadyAsync(f);
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30) && ready.GetProperty("traces_queued").GetInt64() < Requests; await Task.Delay(25))
            {
                ready = await ReadyAsync(f);
            }
        }
        finally
        {
            store.Open();
        }

        Assert.Equal(Requests, ready.GetProperty("traces_queued").GetInt64());
        Assert.Equal(0, ready.GetProperty("traces_dropped").GetInt64());
        Assert.InRange(ready.GetProperty("traces_captured_bytes").GetInt64(), 1, Budget);
        var dropped = ready.GetProperty("traces_capture_dropped").GetInt64();
        Assert.InRange(dropped, 1, Requests - 1);

        var traces = new List<Glidepath.Traces.TraceRecord>();
        foreach (var id in ids)
        {
            traces.Add(await f.TraceAsync(id));
        }

        // Sent one after another: the first ones fit the budget, the rest are queued without content, all with their metadata.
        var kept = Requests - (int)dropped;
        Assert.All(traces, t => Assert.Equal((200, null), (t.Status, t.Error)));
        Assert.All(traces, t => Assert.True(t.LatencyMs > 0 && t.Model is not null && t.SubjectHash is not null));
        Assert.All(traces[..kept], t => Assert.Equal((true, null), (t.InputJson?.Contains(text, StringComparison.Ordinal) == true, t.CaptureDropped)));
        Assert.All(traces[kept..], t => Assert.Equal((null, null), (t.InputJson, t.OutputText)));
        Assert.All(traces[kept..], t => Assert.Equal("gateway over 1 MiB of captured content not yet stored", t.CaptureDropped));
        Assert.Equal(0, (await ReadyAsync(f)).GetProperty("traces_captured_bytes").GetInt64());
    }

    private static async Task<JsonElement> ReadyAsync(GatewayFixture f)
    {
        using var response = await f.Http.GetAsync(f.Url + "/readyz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
