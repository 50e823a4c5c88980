using System.Diagnostics;
using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Manifests;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests.Monitoring;

/// <summary>Step 6 of the path: online scoring does not stop when the rollout ends; the stable release keeps being scored.</summary>
public sealed class StableOnlineScoringTests
{
    [Fact]
    public async Task OnlineScoring_AfterTheRolloutPromotedTheCanary_StableTrafficIsStillScored()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var yaml = File.ReadAllText(Path.Combine(f.Directory, "glidepath.yaml")).Replace("sample_rate: 0.2", "sample_rate: 1.0", StringComparison.Ordinal);
        await f.StartAsync(s => s with { Manifest = ManifestParser.Parse(yaml, "glidepath.yaml", new Files.WorkingTreeFileSource(f.Directory)) with { BaseDirectory = f.Directory } });
        await f.SetAsync(s => s with { Canary = new CanaryState(f.V2.Id, 50, "seed-m") }, "canary_set");
        await f.SetAsync(s => s with { StableReleaseId = f.V2.Id, StableSince = DateTimeOffset.UtcNow, Canary = null }, EnvironmentEventKinds.RolloutPromoted);

        var after = new List<TraceRecord>();
        var sw = Stopwatch.StartNew();
        while (after.Count < 10 && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            var trace = await ServeAsync(f, "user-" + sw.ElapsedTicks);
            if (trace.ReleaseId == f.V2.Id && trace.Arm == "stable")
            {
                after.Add(trace);
            }
        }

        Assert.Equal(10, after.Count);
        Assert.All(after, t => Assert.NotNull(t.OnlinePassed));
        var stats = await f.Store.Traces.ArmStatsAsync("support-agent", "staging", DateTimeOffset.UtcNow.AddMinutes(-5), null, default);
        Assert.True(stats.Single(s => s.ReleaseId == f.V2.Id && s.Arm == "stable").OnlineScored >= 10);
    }

    private static async Task<TraceRecord> ServeAsync(GatewayFixture f, string subject)
    {
        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", subject));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
    }
}
