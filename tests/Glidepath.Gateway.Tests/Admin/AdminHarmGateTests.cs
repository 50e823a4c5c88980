using Glidepath.Access;
using Glidepath.Evals.Gate;
using Glidepath.Shadow;
using Glidepath.Testing;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>The admin API's (and so the dashboard's) promote and rollout start refuse a release the judge found harmful, as the CLI does.</summary>
public sealed class AdminHarmGateTests
{
    // An outside trial (H1) through the admin API: a shadow judged v2 harm against staging's stable v1, then promote took it.
    [Fact]
    public async Task PromoteAndRolloutStart_AfterAShadowStoppedAtHarm_409UntilAnOwnerForcesIt()
    {
        await using var h = await AdminHarness.StartAsync();
        await GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", basis: await GateBasis.CurrentAsync(h.F.Manifest, default));
        var deployer = await h.TokenAsync(Role.Deployer, "staging");
        var owner = await h.TokenAsync(Role.Owner, "staging");
        var started = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/shadow/start", deployer, """{"release":"v2","rate":0.5,"reason":"try v2"}""");
        Assert.True(started.Status == 200, started.Body);
        var shadowId = (await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "staging", default)).Shadow!.ShadowId;
        await WriteFailingPairsAsync(h, shadowId, 600, 0.2);
        var stopped = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/shadow/stop", deployer, """{"reason":"enough"}""");
        Assert.True(stopped.Status == 200, stopped.Body);

        var promote = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2"}""");
        var rollout = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", deployer, """{"release":"v2","reason":"x"}""");
        var deployerForce = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2","force":true,"reason":"outage"}""");
        var ownerForce = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", owner, """{"release":"v2","force":true,"reason":"the provider's outage"}""");

        Assert.Equal((409, 409, 403), (promote.Status, rollout.Status, deployerForce.Status));
        var said = $"the judge found harm in v2 on staging: shadow {shadowId} was stopped with the judge's decision harm at ";
        Assert.Contains(said, promote.Body, StringComparison.Ordinal);
        Assert.Contains(said, rollout.Body, StringComparison.Ordinal);
        Assert.True(ownerForce.Status == 200, ownerForce.Body);
        var last = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "staging", default))[^1];
        Assert.True(last.Forced);
        Assert.Contains($"\"judged_harm\":{{\"kind\":\"shadow\",\"id\":\"{shadowId}\"", last.DetailsJson, StringComparison.Ordinal);
    }

    // Trial dash2 #1: a deployer started a rollout of a release its still-running shadow showed as harm (no force, no
    // note), and the controller rolled it back 24 s later, after real users got it.
    [Fact]
    public async Task PromoteAndRolloutStart_WhileItsActiveShadowIsJudgedHarm_409UntilAnOwnerForcesIt()
    {
        await using var h = await AdminHarness.StartAsync();
        await GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", basis: await GateBasis.CurrentAsync(h.F.Manifest, default));
        var deployer = await h.TokenAsync(Role.Deployer, "staging");
        var owner = await h.TokenAsync(Role.Owner, "staging");
        var started = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/shadow/start", deployer, """{"release":"v2","rate":0.5,"reason":"try v2"}""");
        Assert.True(started.Status == 200, started.Body);
        var shadowId = (await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "staging", default)).Shadow!.ShadowId;
        await WriteFailingPairsAsync(h, shadowId, 600, 0.2);

        var rollout = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", deployer, """{"release":"v2","reason":"x"}""");
        var promote = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2"}""");
        var ownerForce = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", owner, """{"release":"v2","force":true,"reason":"the provider's outage"}""");

        Assert.Equal((409, 409), (rollout.Status, promote.Status));
        var said = $"the judge found harm in v2 on staging: shadow {shadowId}, still active, has the judge's decision harm at ";
        Assert.Contains(said, rollout.Body, StringComparison.Ordinal);
        Assert.Contains(said, promote.Body, StringComparison.Ordinal);
        Assert.Contains("(candidate is worse than stable on the same inputs: error_rate", rollout.Body, StringComparison.Ordinal);
        Assert.True(ownerForce.Status == 200, ownerForce.Body);
        var last = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "staging", default))[^1];
        Assert.True(last.Forced);
        Assert.Contains($"\"judged_harm\":{{\"kind\":\"shadow\",\"id\":\"{shadowId}\"", last.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("\"active\":true", last.DetailsJson, StringComparison.Ordinal);
    }

    private static async Task WriteFailingPairsAsync(AdminHarness h, string shadowId, int n, double candidateErrorRate)
    {
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var pairs = new List<ShadowPairRecord>(n);
        for (var i = 0; i < n; i++)
        {
            var latency = 300 * Math.Exp(random.NextDouble() - 0.5);
            var failed = random.NextDouble() < candidateErrorRate;
            pairs.Add(new ShadowPairRecord
            {
                ShadowId = shadowId,
                App = h.F.Manifest.App,
                Environment = "staging",
                StableTraceId = $"s{i:x31}",
                CandidateTraceId = $"c{i:x31}",
                StableReleaseId = h.F.V1.Id,
                CandidateReleaseId = h.F.V2.Id,
                CreatedAt = now,
                Group = i % 64,
                CandidateError = failed,
                StableLatencyMs = latency,
                CandidateLatencyMs = failed ? null : latency,
                StableCostUsd = 0.002,
                CandidateCostUsd = 0.002,
                StablePassed = true,
                CandidatePassed = failed ? null : true,
                StableScore = 1,
                CandidateScore = failed ? null : 1,
            });
        }

        await h.F.Store.Shadows.WriteAsync(pairs, default);
    }
}
