using System.Diagnostics;
using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests;

public sealed class TelemetryTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync("\n# test\n");
        await _f.StartAsync(server: o => o with { MetricsUrls = ["http://127.0.0.1:0"] });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<string> ServeAsync(string text = "Can I return shoes after 45 days?")
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(text), r => r.Headers.Add("Glidepath-Subject", "alice"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Trace").Single();
    }

    private async Task<TraceRecord> TraceAsync(string id)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (await _f.Store.Traces.GetAsync(id, default) is { } trace)
            {
                return trace;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"trace {id} never reached the store");
    }

    [Fact]
    public async Task Request_WritesTraceWithReleaseArmHashedSubjectAndTokens()
    {
        var trace = await TraceAsync(await ServeAsync());

        Assert.Equal((_f.V1.Id, "stable", 200, "openai"), (trace.ReleaseId, trace.Arm, trace.Status, trace.Api));
        Assert.Equal(await _f.SubjectHashAsync("alice"), trace.SubjectHash);
        Assert.Equal((12L, 4L), (trace.InputTokens, trace.OutputTokens));
        Assert.Equal("stop", trace.FinishReason);
        Assert.True(trace.LatencyMs >= trace.OverheadMs);
        Assert.Equal("stable-model", trace.Model);
    }

    [Fact]
    public async Task Request_UpdatesPerArmAggregates()
    {
        for (var i = 0; i < 3; i++)
        {
            await TraceAsync(await ServeAsync());
        }

        var stats = await _f.Store.Traces.ArmStatsAsync("support-agent", "staging", DateTimeOffset.UtcNow.AddMinutes(-5), null, default);
        var stable = Assert.Single(stats);
        Assert.Equal((_f.V1.Id, "stable", 3L, 0L), (stable.ReleaseId, stable.Arm, stable.Count, stable.Errors));
        Assert.Equal(36, stable.InputTokens);
    }

    [Fact]
    public async Task Request_CaptureSampledNotChosen_NoContentOnTrace()
    {
        // The sample manifest says capture: sampled at online.sample_rate 0.2; find one trace that was not sampled.
        for (var i = 0; i < 20; i++)
        {
            var trace = await TraceAsync(await ServeAsync());
            if (trace.InputJson is null)
            {
                Assert.Null(trace.OutputText);
                return;
            }
        }

        Assert.Fail("every one of 20 traces captured content at a 20% sample rate");
    }

    [Fact]
    public async Task Request_CaptureAll_ContentStoredWithEmailAndPhoneRedacted()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var yaml = File.ReadAllText(Path.Combine(f.Directory, "glidepath.yaml")).Replace("capture: { content: sampled", "capture: { content: all", StringComparison.Ordinal);
        await f.StartAsync(s => s with { Manifest = Glidepath.Manifests.ManifestParser.Parse(yaml, "glidepath.yaml", new Glidepath.Files.WorkingTreeFileSource(f.Directory)) });
        f.Models.For("stable-model").Answer = (_, _) => new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "We will email bob@example.org"));

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat("I am jane.doe@example.com, call +1 (555) 010-2030"));
        var id = response.Headers.GetValues("Glidepath-Trace").Single();
        TraceRecord? trace = null;
        for (var i = 0; i < 100 && trace is null; i++)
        {
            trace = await f.Store.Traces.GetAsync(id, default);
            await Task.Delay(25);
        }

        Assert.NotNull(trace);
        Assert.Contains("I am [email], call [phone]", trace.InputJson, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", trace.InputJson!, StringComparison.Ordinal);
        Assert.Equal("We will email [email]", trace.OutputText);
    }

    [Fact]
    public async Task Feedback_KnownTrace_StoredAnd201()
    {
        var id = await ServeAsync();

        using var response = await _f.PostAsync("/v1/feedback", $$"""{"trace_id":"{{id}}","score":-1,"comment":"wrong window"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var feedback = Assert.Single(await _f.Store.Traces.FeedbackAsync(id, default));
        Assert.Equal((-1.0, "wrong window"), (feedback.Score, feedback.Comment));
    }

    [Fact]
    public async Task Feedback_UnknownTrace_404()
    {
        using var response = await _f.PostAsync("/v1/feedback", """{"trace_id":"0123456789abcdef0123456789abcdef","score":1}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown trace", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"trace_id":"x","score":2}""")]
    [InlineData("""{"score":1}""")]
    [InlineData("""not json""")]
    public async Task Feedback_Invalid_400(string body)
    {
        using var response = await _f.PostAsync("/v1/feedback", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterRequest_PrometheusExpositionHasGatewayCounters()
    {
        await ServeAsync();

        var text = await _f.Http.GetStringAsync(_f.Server!.MetricsUrls.Single() + "/metrics");

        Assert.Contains("glidepath_gateway_requests", text, StringComparison.Ordinal);
        Assert.Contains("glidepath_gateway_overhead", text, StringComparison.Ordinal);
        Assert.Contains("glidepath_traces_dropped", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraceQueueFull_RequestsStillServedAndDropsCounted()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(s => s with { TraceQueueCapacity = 1, TraceBatchSize = 1 });
        StoreVandal.MakeUnreadable(f.StorePath);
        try
        {
            var tasks = Enumerable.Range(0, 30).Select(async _ =>
            {
                using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
                return r.StatusCode;
            });
            Assert.All(await Task.WhenAll(tasks), s => Assert.Equal(HttpStatusCode.OK, s));

            using var ready = await f.Http.GetAsync(f.Url + "/readyz");
            var body = await ready.Content.ReadAsStringAsync();
            Assert.DoesNotContain("\"traces_dropped\":0,", body, StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(f.StorePath);
        }
    }
}
