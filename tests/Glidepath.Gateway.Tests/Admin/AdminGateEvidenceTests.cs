using Glidepath.Access;
using Glidepath.Evals.Gate;
using Glidepath.Testing;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>The admin API's promote and rollout start count a gate verdict by the same rule as the CLI and the checklist.</summary>
public sealed class AdminGateEvidenceTests
{
    // Trial A §1 through the admin API: a pass computed with other scorers is not evidence.
    [Fact]
    public async Task PromoteAndRolloutStart_PassComputedWithOtherScorers_409SayingSoUntilAPassWithTodaysScorers()
    {
        await using var h = await AdminHarness.StartAsync();
        var today = await GateBasis.CurrentAsync(h.F.Manifest, default);
        await GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", basis: today with { ScorerVersion = "scorers-without-the-guard" });
        var deployer = await h.TokenAsync(Role.Deployer, "staging");

        var promote = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2"}""");
        var rollout = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", deployer, """{"release":"v2","reason":"x"}""");

        Assert.Equal((409, 409), (promote.Status, rollout.Status));
        Assert.Contains("exist, but for other scorers", promote.Body, StringComparison.Ordinal);
        Assert.Contains("exist, but for other scorers", rollout.Body, StringComparison.Ordinal);

        await GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", basis: today);
        var allowed = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2"}""");
        Assert.True(allowed.Status == 200, allowed.Body);
    }

    // Trial ci D1 through the admin API (and so the dashboard's promote): a pass computed under a loosened gate rule is
    // not evidence once the manifest's rule is another.
    [Fact]
    public async Task PromoteAndRolloutStart_PassComputedUnderALoosenedRule_409NamingTheRuleUntilAPassUnderTodaysRule()
    {
        await using var h = await AdminHarness.StartAsync();
        var today = await GateBasis.CurrentAsync(h.F.Manifest, default);
        await GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", basis: today with { Rule = today.Rule with { MaxCaseRegressions = 100 } });
        var deployer = await h.TokenAsync(Role.Deployer, "staging");

        var promote = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2"}""");
        var rollout = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", deployer, """{"release":"v2","reason":"x"}""");

        Assert.Equal((409, 409), (promote.Status, rollout.Status));
        var expected = $"was computed under another gate rule (max_case_regressions 100, now {today.Rule.MaxCaseRegressions}); run: glidepath gate v2 ";
        Assert.Contains(expected, promote.Body, StringComparison.Ordinal);
        Assert.Contains(expected, rollout.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("gate again", promote.Body, StringComparison.Ordinal);
        var listed = await h.SendAsync(HttpMethod.Get, "/admin/v1/releases/v2/verdicts", deployer);
        using (var doc = System.Text.Json.JsonDocument.Parse(listed.Body))
        {
            var rule = doc.RootElement.GetProperty("verdicts")[0].GetProperty("gate_rule");
            Assert.Equal(100, rule.GetProperty("max_case_regressions").GetInt32());
            Assert.Equal((today.Rule with { MaxCaseRegressions = 100 }).Sha256, rule.GetProperty("sha256").GetString());
        }

        await GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", basis: today);
        var allowed = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/promote", deployer, """{"release":"v2"}""");
        Assert.True(allowed.Status == 200, allowed.Body);
    }
}
