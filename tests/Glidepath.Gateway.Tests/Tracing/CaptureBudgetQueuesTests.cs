using System.Net;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// The capture budget covers every queue between a request and the store, not only the trace queue: traces waiting for
/// online scoring (up to 2,000) and requests waiting for the shadow (up to 1,000) held captured text outside it, so a
/// slow scorer or candidate with large requests (and a store outage) could hold gigabytes. Past the budget a sampled
/// request goes on unscored, or is not mirrored, and is counted.
/// </summary>
public sealed class CaptureBudgetQueuesTests
{
    private const long Budget = 2 * 1024 * 1024; // scoring and the shadow may hold half of it: 1 MiB
    private const int Requests = 5;
    private static readonly string Text = new('a', 200_000); // about 400 KB as .NET holds it

    [Fact]
    public async Task OnlineScorer_JudgeHeldAndStoreStalledWithLargeRequests_HeldBytesStayUnderTheBudgetAndTheRestGoOnUnscored()
    {
        await using var f = await GatewayFixture.CreateAsync(
            editManifest: y => y
                .Replace("content: sampled", "content: all", StringComparison.Ordinal)
                .Replace("sample_rate: 0.2", "sample_rate: 1.0", StringComparison.Ordinal)
                .Replace("    - { type: max_latency_ms, value: 8000 }", "    - { type: llm_judge, rubric: evals/rubric.md, model: { provider: openai, name: judge-model } }", StringComparison.Ordinal),
            upstream: GatewayUpstream.OpenAiPassThrough);
        var store = new GatedTraceStore(f.Store.Traces);
        await f.StartAsync(s => s with { Traces = store, TraceCaptureBudgetBytes = Budget });
        var judge = f.Models.For("judge-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        judge.HoldBeforeAnswer = hold;
        var ids = new List<string>();
        JsonElement ready;
        try
        {
            ids.AddRange(await SendAsync(f));

            // The first trace waits for its judge (its content, the messages and the answer: about 800 KB of scoring's 1 MiB
            // half); the others find that half full and go on unscored to the stalled writer, whose half keeps the content
            // of at least two of them (about 400 KB each).
            await Eventually.TrueAsync(async () => Volatile.Read(ref judge.Calls) == 1 && (await ReadyAsync(f)).GetProperty("traces_queued").GetInt64() == Requests - 1,
                "the first trace to wait for its judge and the others to be passed on unscored");
            ready = await ReadyAsync(f);
        }
        finally
        {
            hold.TrySetResult();
            store.Open();
        }

        Assert.InRange(ready.GetProperty("traces_captured_bytes").GetInt64(), 2L * 2 * Text.Length, Budget);
        Assert.Equal(Requests - 1, ready.GetProperty("online_capture_skipped").GetInt64());
        Assert.InRange(ready.GetProperty("traces_capture_dropped").GetInt64(), 0, Requests - 1 - 2);
        var traces = new List<Glidepath.Traces.TraceRecord>();
        foreach (var id in ids)
        {
            traces.Add(await f.TraceAsync(id));
        }

        var scored = Assert.Single(traces, t => t.OnlineScore is not null);
        Assert.Contains(Text, scored.InputJson, StringComparison.Ordinal);
        Assert.All(traces.Where(t => t != scored), t => Assert.Null(t.OnlineScore));
        Assert.True(traces.Count(t => t != scored && t.InputJson is not null) >= 2, "the trace queue's half keeps the content of at least two unscored traces");
        await Eventually.TrueAsync(async () => (await ReadyAsync(f)).GetProperty("traces_queued").GetInt64() == 0, "every trace written");
        Assert.Equal(0, (await ReadyAsync(f)).GetProperty("traces_captured_bytes").GetInt64());
    }

    [Fact]
    public async Task ShadowMirror_CandidateHeldWithLargeRequests_HeldBytesStayUnderTheBudgetAndTheRestAreNotMirrored()
    {
        await using var f = await GatewayFixture.CreateAsync(
            editManifest: y => y
                .Replace("content: sampled", "content: none", StringComparison.Ordinal)
                .Replace("sample_rate: 0.2", "sample_rate: 0", StringComparison.Ordinal),
            upstream: GatewayUpstream.OpenAiPassThrough);
        await f.StartAsync(s => s with { TraceCaptureBudgetBytes = Budget }, server: o => o with { MetricsUrls = ["http://127.0.0.1:0"] });
        var candidate = f.Models.For("canary-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        candidate.HoldBeforeAnswer = hold;
        var state = await f.SetAsync(s => s with { Shadow = new ShadowState("sh-budget", f.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await f.WaitForRevisionAsync(state.Revision);
        JsonElement ready;
        try
        {
            await SendAsync(f);

            // The first request waits for its candidate (the caller's messages and the body copy its patch keeps: about
            // 600 KB); the others find the shadow's half of the budget (1 MiB) full and are not mirrored.
            var budget = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Glidepath.Serving.Tracing.TraceQueue>(f.Server!.Services).Budget;
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref candidate.Calls) == 1 && budget.ShadowSkipped == Requests - 1),
                "the first request to wait for its candidate and the others to be skipped");
            ready = await ReadyAsync(f);
        }
        finally
        {
            hold.TrySetResult();
        }

        Assert.InRange(ready.GetProperty("traces_captured_bytes").GetInt64(), 2L * Text.Length + Text.Length, Budget);
        // Read from this gateway's own mirror: /metrics shows every gateway's meter in the process (test classes run in parallel).
        var mirror = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Glidepath.Serving.Shadow.ShadowMirror>(f.Server!.Services);
        Assert.Equal(Requests - 1, mirror.Counters.DroppedFor(Glidepath.Serving.Shadow.ShadowCounters.CaptureBudget));
        Assert.False(ready.TryGetProperty("shadow_capture_skipped", out _), "an anonymous /readyz must not tell that a shadow is mirrored");
        await Eventually.TrueAsync(async () => (await f.Store.Shadows.SpendAsync("sh-budget", default)).Pairs == 1, "the first request's pair stored");
        await Eventually.TrueAsync(async () => (await ReadyAsync(f)).GetProperty("traces_captured_bytes").GetInt64() == 0, "every charge released");
        Assert.Equal(1, Volatile.Read(ref candidate.Calls));
    }

    /// <summary>Sends the large requests one after another; each is answered (what is held past the answer is the point).</summary>
    private static async Task<List<string>> SendAsync(GatewayFixture f)
    {
        var ids = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(Text), m => m.Headers.Add("Glidepath-Subject", "s" + i));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            ids.Add(r.Headers.GetValues("Glidepath-Trace").Single());
        }

        return ids;
    }

    private static async Task<JsonElement> ReadyAsync(GatewayFixture f)
    {
        using var response = await f.Http.GetAsync(f.Url + "/readyz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
