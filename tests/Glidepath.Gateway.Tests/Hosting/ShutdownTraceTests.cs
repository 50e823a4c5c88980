using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Manifests;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// A stop (SIGTERM) finishes the requests in flight and writes their traces before it returns. A trial lost the trace of
/// every request answered in the last tens of milliseconds before the signal (20 of 158 under load): the trace queue was
/// closed when the stop began, before Kestrel had finished those requests.
/// </summary>
public sealed class ShutdownTraceTests
{
    [Theory]
    [MemberData(nameof(Paths))]
    public async Task StopAsync_RequestAnsweredWhileStopping_TraceStoredBeforeStopReturns(string provider, bool passThrough)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: new GatewayUpstream(provider, passThrough));
        await f.StartAsync();
        var model = f.Models.For("stable-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.HoldBeforeAnswer = hold;

        var pending = provider == "openai" ? f.PostAsync("/v1/chat/completions", GatewayFixture.Chat()) : f.PostAsync("/v1/messages", GatewayFixture.Message());
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref model.Calls) == 1), "the request to reach the upstream");
        var stopping = await BeginStopAsync(f);
        hold.SetResult();
        using var response = await pending;
        await stopping;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("Glidepath-Trace").Single();
        var trace = await f.Store.Traces.GetAsync(id, default);
        Assert.NotNull(trace);
        Assert.Equal((200, f.V1.Id), (trace.Status, trace.ReleaseId));
        Assert.Equal(1, (await f.Store.Traces.ArmStatsAsync(f.Manifest.App, "staging", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), default)).Sum(a => a.Count));
    }

    [Fact]
    public async Task StopAsync_ManyRequestsInFlight_EveryAnsweredRequestHasItsTrace()
    {
        const int callers = 16; // the provider's default max_concurrency: all of them in flight at once
        await using var f = await GatewayFixture.CreateAsync(upstream: GatewayUpstream.OpenAiPassThrough);
        await f.StartAsync();
        var model = f.Models.For("stable-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.HoldBeforeAnswer = hold;

        var pending = Enumerable.Range(0, callers)
            .Select(i => f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", "caller-" + i)))
            .ToList();
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref model.Calls) == callers), $"all {callers} requests to reach the upstream");
        var stopping = await BeginStopAsync(f);
        hold.SetResult();
        var responses = await Task.WhenAll(pending);
        await stopping;

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var ids = responses.Select(r => r.Headers.GetValues("Glidepath-Trace").Single()).ToList();
        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (await f.Store.Traces.GetAsync(id, default) is null)
            {
                missing.Add(id);
            }
        }

        Assert.Empty(missing);
        Assert.Equal(callers, (await f.Store.Traces.ArmStatsAsync(f.Manifest.App, "staging", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), default)).Sum(a => a.Count));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    // A sampled request's trace waits for the online scorer, which stopped after the trace writer: a trace it held
    // (here: its LLM judge still answering when the stop began) was handed to a writer that had already stopped.
    [Fact]
    public async Task StopAsync_SampledTraceStillBeingScored_ScoredAndStoredBeforeStopReturns()
    {
        await using var f = await GatewayFixture.CreateAsync(
            editManifest: y => y
                .Replace("sample_rate: 0.2", "sample_rate: 1.0", StringComparison.Ordinal)
                .Replace("    - { type: max_latency_ms, value: 8000 }", "    - { type: llm_judge, rubric: evals/rubric.md, model: { provider: openai, name: judge-model } }", StringComparison.Ordinal),
            upstream: GatewayUpstream.OpenAiPassThrough);
        await f.StartAsync();
        var judge = f.Models.For("judge-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        judge.HoldBeforeAnswer = hold;

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref judge.Calls) == 1), "the online judge to be asked");
        var stopping = await BeginStopAsync(f);
        hold.SetResult();
        await stopping;

        var trace = await f.Store.Traces.GetAsync(response.Headers.GetValues("Glidepath-Trace").Single(), default);
        Assert.NotNull(trace);
        Assert.NotNull(trace.OnlineScore);
        Assert.Contains("llm_judge", trace.OnlineScoresJson, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool> Paths() => new()
    {
        { "openai", true },
        { "openai", false },
        { "anthropic", true },
    };

    /// <summary>Begins the gateway's stop and returns it once the host has begun stopping (ApplicationStopping fired).</summary>
    private static async Task<Task> BeginStopAsync(GatewayFixture f)
    {
        var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Server!.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(begun.SetResult);
        var stopping = f.StopGatewayAsync();
        await begun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return stopping;
    }
}
