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
