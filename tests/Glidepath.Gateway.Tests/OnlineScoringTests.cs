using System.Diagnostics;
using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Manifests;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests;

public sealed class OnlineScoringTests
{
    private static async Task<GatewayFixture> StartAsync(string sampleRate, string capture = "sampled")
    {
        var f = await GatewayFixture.CreateAsync();
        var yaml = File.ReadAllText(Path.Combine(f.Directory, "glidepath.yaml"))
            .Replace("sample_rate: 0.2", "sample_rate: " + sampleRate, StringComparison.Ordinal)
            .Replace("content: sampled", "content: " + capture, StringComparison.Ordinal);
        await f.StartAsync(s => s with { Manifest = ManifestParser.Parse(yaml, "glidepath.yaml", new Files.WorkingTreeFileSource(f.Directory)) with { BaseDirectory = f.Directory } });
        return f;
    }

    private static async Task<TraceRecord> ServeAsync(GatewayFixture f, string subject)
    {
        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", subject));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
    }

    [Fact]
    public async Task CaptureNone_ScoredWithoutKeepingContent()
    {
        await using var f = await StartAsync("1.0", capture: "none");

        var trace = await ServeAsync(f, "a");

        Assert.Equal(true, trace.OnlinePassed);
        Assert.Null(trace.OutputText);
        Assert.Null(trace.InputJson);
    }

    // A trace records 0 for a model with no price: online max_cost read it as "$0 (limit $0.01) pass". Unknown is an
    // error (fail closed), as offline, and the trace views show no figure; a priced model is still scored on its cost.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MaxCost_ModelWithoutPrice_ErrorNotPass_PricedModelScored(bool priced)
    {
        await using var f = await GatewayFixture.CreateAsync();
        var yaml = File.ReadAllText(Path.Combine(f.Directory, "glidepath.yaml"))
            .Replace("sample_rate: 0.2", "sample_rate: 1.0", StringComparison.Ordinal)
            .Replace("    - { type: max_latency_ms, value: 8000 }", "    - { type: max_cost, value: 0.01 }", StringComparison.Ordinal)
            .Replace("  sim-support-1: {", priced ? "  stable-model: { input: 1.0, output: 2.0 }\n  sim-support-1: {" : "  sim-support-1: {", StringComparison.Ordinal);
        var manifest = ManifestParser.Parse(yaml, "glidepath.yaml", new Files.WorkingTreeFileSource(f.Directory)) with { BaseDirectory = f.Directory };
        await f.StartAsync(s => s with { Manifest = manifest });

        var trace = await ServeAsync(f, "a");

        Assert.Equal(priced, trace.OnlinePassed);
        Assert.True(trace.OnlineScoresJson!.Contains(priced ? "\"passed\":true" : "max_cost needs the call\\u0027s cost", StringComparison.Ordinal), trace.OnlineScoresJson);
        var views = new Glidepath.Environments.EnvironmentViews([]);
        var shown = System.Text.Json.JsonSerializer.SerializeToElement(TraceReports.Show(trace, [], views, Glidepath.Models.PriceTable.For(manifest)));
        Assert.Equal(priced ? System.Text.Json.JsonValueKind.Number : System.Text.Json.JsonValueKind.Null, shown.GetProperty("trace").GetProperty("cost_usd").ValueKind);
    }

    [Fact]
    public async Task SampleRateZero_NoTraceScored()
    {
        await using var f = await StartAsync("0");

        var trace = await ServeAsync(f, "a");

        Assert.Null(trace.OnlineScore);
        Assert.Null(trace.OnlinePassed);
    }

    [Fact]
    public async Task PartialSampleRate_ScoresRoughlyThatShare()
    {
        await using var f = await StartAsync("0.5");
        var scored = 0;
        for (var i = 0; i < 40; i++)
        {
            scored += (await ServeAsync(f, "s" + i)).OnlineScore is null ? 0 : 1;
        }

        // Binomial(40, 0.5): 8..32 holds with probability > 0.9999.
        Assert.InRange(scored, 8, 32);
    }
}
