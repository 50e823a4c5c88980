using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests.Shadow;

/// <summary>
/// Shadow traffic through a real gateway on 127.0.0.1 and a real SQLite store: v1 (stable-model) answers callers, v2
/// (canary-model) is the shadow candidate, answering differently so that a leak of its answer would show.
/// </summary>
public sealed partial class ShadowMirrorTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        _f.Models.For("canary-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "THE CANDIDATE'S ANSWER, NEVER RETURNED"))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 30, OutputTokenCount = 9 },
            AdditionalProperties = new() { [ModelResponseProperties.CostUsd] = 0.01m },
        };
        // /metrics on the traffic port needs a token: the counters are read from the gateway's own metrics listener.
        await _f.StartAsync(server: o => o with { MetricsUrls = ["http://127.0.0.1:0"] });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    /// <summary>The four ways a caller asks: OpenAI and Anthropic, whole and streamed.</summary>
    public static TheoryData<string, string> Calls => new()
    {
        { "/v1/chat/completions", GatewayFixture.Chat(extra: ",\"user\":\"alice\"") },
        { "/v1/chat/completions", GatewayFixture.Chat(extra: ",\"user\":\"alice\",\"stream\":true,\"stream_options\":{\"include_usage\":true}") },
        { "/v1/messages", GatewayFixture.Message(extra: ",\"metadata\":{\"user_id\":\"alice\"}") },
        { "/v1/messages", GatewayFixture.Message(extra: ",\"metadata\":{\"user_id\":\"alice\"},\"stream\":true") },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Response_ShadowOnAndOff_StatusHeadersAndBodyByteIdentical(string path, string body)
    {
        var off = await CallAsync(path, body);
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: null);
        var on = await CallAsync(path, body);
        var pair = await PairAsync(on.TraceId);

        Assert.Equal(off.Status, on.Status);
        Assert.Equal(off.Headers, on.Headers);
        Assert.Equal(off.Body, on.Body);
        Assert.DoesNotContain("CANDIDATE", Encoding.UTF8.GetString(on.Body), StringComparison.Ordinal);
        Assert.Equal((_f.V1.Id, _f.V2.Id, false), (pair.StableReleaseId, pair.CandidateReleaseId, pair.CandidateError));
        var candidate = await WireAssert.TraceAsync(_f, pair.CandidateTraceId);
        Assert.Equal((Arm.Shadow, _f.V2.Id, 200, 0.01), (candidate.Arm, candidate.ReleaseId, candidate.Status, candidate.CostUsd));
        Assert.Equal((await WireAssert.TraceAsync(_f, on.TraceId)).SubjectHash, candidate.SubjectHash);

        // An outside trial: the candidate was always called whole, so on streamed callers the pair compared a stream's
        // latency with a whole call's (an identical candidate looked ×1.1 slower with the sim). It is called as its
        // caller was: a streamed candidate's trace has a time to first token, a whole one's none.
        var streamed = body.Contains("\"stream\":true", StringComparison.Ordinal);
        Assert.Equal(streamed, candidate.TimeToFirstTokenMs is not null);
        Assert.Equal(streamed, candidate.Stream); // trial shadowcaps #5: stored as not streamed
        Assert.Equal((30L, 9L, "stop"), (candidate.InputTokens, candidate.OutputTokens, candidate.FinishReason));
        Assert.NotNull(pair.CandidateLatencyMs);
    }

    [Fact]
    public async Task Mirror_CandidateGetsTheCallersInputWithItsOwnReleaseApplied_AndItsToolCallIsNotExecuted()
    {
        _f.Models.For("canary-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "A1" })]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
        };
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: null);

        var on = await CallAsync("/v1/chat/completions", GatewayFixture.Chat("Where is order A1?"));
        var pair = await PairAsync(on.TraceId);

        var sent = _f.Models.For("canary-model").LastMessages!;
        Assert.Equal(ChatRole.System, sent[0].Role);
        Assert.Equal("Where is order A1?", sent[^1].Text);
        Assert.Equal(1, _f.Models.For("canary-model").Calls);
        var candidate = await WireAssert.TraceAsync(_f, pair.CandidateTraceId);
        Assert.Equal("tool_calls", candidate.FinishReason);
    }

    [Fact]
    public async Task Mirror_CostCapReached_StopsMirroringAtTheCapWhileCallersAreStillServed()
    {
        // Each candidate call costs $0.01; the cap is $0.05. At most the mirror's concurrency (4) calls can be in
        // flight when the cap is reached, so 5 to 8 calls are made, and none after the spend reached the cap.
        await StartShadowAsync(rate: 1, maxCostUsd: 0.05, maxRequests: null);

        for (var i = 0; i < 40; i++)
        {
            var served = await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
            Assert.Equal(200, served.Status);
        }

        await WaitForMetricsAsync(m => m.Mirrored + m.Capped == 40);
        var spend = await _f.Store.Shadows.SpendAsync("sh-test", default);
        var calls = _f.Models.For("canary-model").Calls;
        Assert.InRange(spend.Pairs, 5, 8);
        Assert.Equal(spend.Pairs, calls);
        Assert.True(spend.CostUsd >= 0.05 - 1e-9, $"spent {spend.CostUsd}");
        Assert.Equal(40, _f.Models.For("stable-model").Calls);
    }

    [Fact]
    public async Task Mirror_MaxRequests_ExactlyThatManyPairs()
    {
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: 7);

        for (var i = 0; i < 30; i++)
        {
            await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
        }

        await WaitForMetricsAsync(m => m.Mirrored + m.Capped == 30);
        Assert.Equal(7, (await _f.Store.Shadows.SpendAsync("sh-test", default)).Pairs);
        Assert.Equal(7, _f.Models.For("canary-model").Calls);
    }

    // An outside trial: three gateways stored 237 pairs under --max-requests 150 (and spent $0.676 under --max-cost-usd 0.3),
    // each counting only the pairs it had read from the store (every 5 s) and its own. The caps are claimed from the store
    // now: here another gateway holds 5 of the 7 requests, so this one mirrors only the other 2.
    [Fact]
    public async Task Mirror_AnotherGatewayClaimedMostOfMaxRequests_OnlyTheRestIsMirrored()
    {
        Assert.Equal(5, (await _f.Store.Shadows.ClaimAsync("sh-test", "other-gateway", new(5, 0), new(7, 0), DateTimeOffset.UtcNow, default)).Pairs);
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: 7);

        for (var i = 0; i < 20; i++)
        {
            await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
        }

        await WaitForMetricsAsync(m => m.Mirrored + m.Capped == 20);
        Assert.Equal(2, (await _f.Store.Shadows.SpendAsync("sh-test", default)).Pairs);
        Assert.Equal(2, _f.Models.For("canary-model").Calls);
    }

    // Outside trial: kill -9 of gateways left a shadow at 110 of 150 pairs with all 150 claimed by the dead ones, and the
    // live gateways mirrored nothing more. A holding not renewed for the lease is dropped when the caps are all claimed.
    [Fact]
    public async Task Mirror_ADeadGatewayHeldTheWholeCap_ItsUnusedClaimComesBackAfterTheLease()
    {
        var longAgo = DateTimeOffset.UtcNow - Glidepath.Shadow.ShadowClaims.Lease - TimeSpan.FromSeconds(1);
        Assert.Equal(7, (await _f.Store.Shadows.ClaimAsync("sh-test", "killed-gateway", new(7, 0), new(7, 0), longAgo, default)).Pairs);
        await _f.Store.Shadows.WriteAsync([DeadGatewaysPair(0), DeadGatewaysPair(1)], default); // it stored 2, then died
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: 7);

        for (var i = 0; i < 20; i++)
        {
            await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
        }

        await WaitForMetricsAsync(m => m.Mirrored + m.Capped == 20);
        Assert.Equal(7, (await _f.Store.Shadows.SpendAsync("sh-test", default)).Pairs);
        Assert.Equal(5, _f.Models.For("canary-model").Calls);
    }

    // Review of the claims: with a claim of one request (max_requests 20), a worker whose claim another worker's
    // reservation took counted its call as capped while the store still had room; now it claims again.
    [Fact]
    public async Task Mirror_ManyCallsAtOnceSmallCap_ExactlyTheCapMirrored()
    {
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: 20);

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""))));

        await WaitForMetricsAsync(m => m.Mirrored + m.Capped == 60);
        Assert.Equal(20, (await _f.Store.Shadows.SpendAsync("sh-test", default)).Pairs);
    }

    [Fact]
    public async Task Mirror_AnotherGatewayClaimedMostOfTheCostCap_SpendsOnlyWhatIsLeftPlusItsCallsInFlight()
    {
        // $0.04 of the $0.05 cap held elsewhere; calls cost $0.01: one call's worth is left, and at most the mirror's
        // concurrency (4) calls can be in flight when this gateway's claim runs out.
        Assert.Equal(0.04, (await _f.Store.Shadows.ClaimAsync("sh-test", "other-gateway", new(0, 0.04), new(0, 0.05), DateTimeOffset.UtcNow, default)).CostUsd, 9);
        await StartShadowAsync(rate: 1, maxCostUsd: 0.05, maxRequests: null);

        for (var i = 0; i < 20; i++)
        {
            await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
        }

        await WaitForMetricsAsync(m => m.Mirrored + m.Capped == 20);
        Assert.InRange((await _f.Store.Shadows.SpendAsync("sh-test", default)).Pairs, 1, 4);
    }

    [Fact]
    public async Task Stop_UnusedClaimIsGivenBack_ForOtherGatewaysToClaim()
    {
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: 100);
        for (var i = 0; i < 2; i++)
        {
            await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
        }

        await WaitForMetricsAsync(m => m.Mirrored == 2);
        await _f.StopGatewayAsync();

        // It claimed a twentieth (5) and used 2: the 3 it did not use are back, so another gateway gets the other 98.
        Assert.Equal(98, (await _f.Store.Shadows.ClaimAsync("sh-test", "other-gateway", new(100, 0), new(100, 0), DateTimeOffset.UtcNow, default)).Pairs);
    }

    // Trial shadowcaps #1: only stable's successes were mirrored and every pair said "stable answered", so an identical
    // candidate's errors were compared with none: harm whenever stable itself failed on 1% of calls or more. A failed
    // stable call is mirrored too, its pair holding stable's error.
    [Fact]
    public async Task Mirror_StableCallFailed_IsMirroredWithStablesErrorInThePair()
    {
        await StartShadowAsync(rate: 1, maxCostUsd: null, maxRequests: null);
        _f.Models.For("stable-model").Failure = new Glidepath.Errors.ProviderException("sim", 500, "boom", Glidepath.Errors.ProviderFailure.ServerError);
        for (var i = 0; i < 3; i++)
        {
            var (status, _, _, _) = await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
            Assert.NotEqual(200, status);
        }

        _f.Models.For("stable-model").Failure = null;
        await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: ",\"user\":\"user-ok\""));

        await WaitForMetricsAsync(m => m.Mirrored == 4);
        var pairs = await _f.Store.Shadows.PairsAsync("sh-test", default);
        Assert.Equal((3, 1), (pairs.Count(p => p.StableError), pairs.Count(p => !p.StableError)));
        Assert.All(pairs, p => Assert.False(p.CandidateError));
        Assert.All(pairs.Where(p => p.StableError), p => Assert.Null(p.StablePassed));
    }

    [Fact]
    public async Task Mirror_RateOfAQuarter_MirrorsExactlyTheTraceIdsTheDrawPicks()
    {
        await StartShadowAsync(rate: 0.25, maxCostUsd: null, maxRequests: null);
        var picked = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var on = await CallAsync("/v1/chat/completions", GatewayFixture.Chat(extra: $",\"user\":\"user-{i}\""));
            if (uint.Parse(on.TraceId.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) / (double)uint.MaxValue < 0.25)
            {
                picked.Add(on.TraceId);
            }
        }

        await WaitForMetricsAsync(m => m.Mirrored == picked.Count);
        var pairs = await _f.Store.Shadows.PairsAsync("sh-test", default);
        Assert.Equal(picked.Order(StringComparer.Ordinal), pairs.Select(p => p.StableTraceId).Order(StringComparer.Ordinal));
    }

    private async Task StartShadowAsync(double rate, double? maxCostUsd, long? maxRequests)
    {
        var state = await _f.SetAsync(s => s with { Shadow = new ShadowState("sh-test", _f.V2.Id, rate, maxCostUsd, maxRequests) }, EnvironmentEventKinds.ShadowStart);
        await _f.WaitForRevisionAsync(state.Revision);
    }

    private Glidepath.Shadow.ShadowPairRecord DeadGatewaysPair(int i) => new()
    {
        ShadowId = "sh-test",
        App = _f.Manifest.App,
        Environment = "production",
        StableTraceId = $"s{i:x31}",
        CandidateTraceId = $"c{i:x31}",
        StableReleaseId = _f.V1.Id,
        CandidateReleaseId = _f.V2.Id,
        CreatedAt = DateTimeOffset.UtcNow,
        Group = i,
        StableCostUsd = 0.01,
        CandidateCostUsd = 0.01,
    };

    private Task<Glidepath.Shadow.ShadowPairRecord> PairAsync(string stableTraceId) => StoreWait.ShadowPairAsync(_f.Store, "sh-test", stableTraceId);

    /// <summary>
    /// Waits for this gateway's mirror counters, read from its own <see cref="Glidepath.Serving.Shadow.ShadowMirror"/>: the
    /// Prometheus exporter listens to every meter of the name in the process, so /metrics of one test gateway can show
    /// another's counters while test classes run in parallel. That the counters are exported at all is checked once.
    /// </summary>
    private async Task WaitForMetricsAsync(Func<(long Mirrored, long Capped), bool> condition)
    {
        var mirror = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Glidepath.Serving.Shadow.ShadowMirror>(_f.Server!.Services);
        var sw = Stopwatch.StartNew();
        var last = (0L, 0L);
        while (sw.Elapsed < TimeSpan.FromSeconds(15))
        {
            last = (mirror.Mirrored, mirror.Capped);
            if (condition(last))
            {
                var text = await _f.Http.GetStringAsync(_f.Server!.MetricsUrls.Single() + "/metrics");
                Assert.Matches(new Regex("^glidepath_shadow_mirrored", RegexOptions.Multiline), text);
                Assert.Matches(new Regex("^glidepath_shadow_capped", RegexOptions.Multiline), text);
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"shadow counters never matched: mirrored {last.Item1}, capped {last.Item2}");
    }

    /// <summary>One call; the status, the headers but Date, Server-Timing and Glidepath-Trace, and the body with the trace id and time made constant.</summary>
    private async Task<(int Status, string TraceId, List<string> Headers, byte[] Body)> CallAsync(string path, string body)
    {
        using var response = await _f.PostAsync(path, body, r => r.Headers.Add("x-api-key", "unused"));
        var traceId = response.Headers.GetValues("Glidepath-Trace").Single();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes).Replace(traceId, "TRACE", StringComparison.Ordinal).Replace(traceId[..24], "TRACE", StringComparison.Ordinal);
        text = CreatedTime().Replace(text, "\"created\":0");
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Server-Timing" or "Glidepath-Trace"))
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return ((int)response.StatusCode, traceId, headers, Encoding.UTF8.GetBytes(text));
    }

    [GeneratedRegex("\"created\":[0-9]+")]
    private static partial Regex CreatedTime();
}

/// <summary>The manifest's pairwise judge on shadow pairs through a real gateway: asked in both orders, failing closed.</summary>
public sealed class ShadowPairwiseJudgeTests
{
    [Theory]
    [InlineData("names the candidate's answer", 1.0)]
    [InlineData("always A", 0.5)]
    [InlineData("neither", 0.0)]
    public async Task Pair_PairwiseJudgeAskedInBothOrders_PreferenceStoredAndAPositionBiasIsATie(string judge, double expected)
    {
        await using var f = await GatewayFixture.CreateAsync("\nshadow:\n  pairwise: { model: { provider: sim, name: judge-model }, rubric: evals/pairwise.md, max_drop: 0.05 }\n");
        f.Models.For("canary-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "THE CANDIDATE'S ANSWER"));
        f.Models.For("judge-model").Answer = (messages, _) =>
        {
            var prompt = messages[^1].Text;
            var a = prompt[prompt.IndexOf("Answer A:", StringComparison.Ordinal)..prompt.IndexOf("Answer B:", StringComparison.Ordinal)];
            var verdict = judge switch
            {
                "names the candidate's answer" => a.Contains("CANDIDATE", StringComparison.Ordinal) ? "A" : "B",
                "always A" => "A. It is clearer.",
                _ => "Both have merits.",
            };
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, verdict));
        };
        await f.StartAsync();
        var state = await f.SetAsync(s => s with { Shadow = new ShadowState("sh-judge", f.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await f.WaitForRevisionAsync(state.Revision);

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pair = await StoreWait.ShadowPairAsync(f.Store, "sh-judge", response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Single(await f.Store.Shadows.PairsAsync("sh-judge", default));

        Assert.Equal(expected, pair.CandidatePreference);
        Assert.Equal(judge == "neither" ? 1 : 2, f.Models.For("judge-model").Calls);
    }
}
