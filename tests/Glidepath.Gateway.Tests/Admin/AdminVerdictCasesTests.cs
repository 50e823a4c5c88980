using System.Text.Json;
using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Evals;
using Glidepath.Views;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary><c>GET /releases/{ref}/verdicts/{id}/cases</c>: a gate verdict's failed cases, baseline beside candidate (what the dashboard's gate page shows).</summary>
public sealed class AdminVerdictCasesTests
{
    [Fact]
    public async Task Cases_OfAStoredVerdict_AreTheFailedCasesBaselineBesideCandidate()
    {
        await using var h = await AdminHarness.StartAsync();
        var verdict = await SeedAsync(h);
        var token = await h.TokenAsync(Role.Viewer);

        var byId = await h.SendAsync(HttpMethod.Get, $"/admin/v1/releases/v2/verdicts/{verdict.Id}/cases", token);
        var latest = await h.SendAsync(HttpMethod.Get, "/admin/v1/releases/v2/verdicts/latest/cases", token);

        Assert.Equal(200, byId.Status);
        Assert.Equal(byId.Body, latest.Body);
        var cases = await GateVerdictCases.ReadAsync(h.F.Store.EvalRuns, verdict, default);
        var views = new EnvironmentViews(await h.F.Store.Releases.ListAsync(h.F.Manifest.App, default));
        Assert.Equal(JsonSerializer.Serialize(GateVerdictReports.Cases(h.F.V2.Id, verdict, cases, views), ViewJson.Options), byId.Body);
        var only = Assert.Single(cases);
        Assert.Equal(("refund-window", true, 1, 0), (only.CaseId, only.Regressed, only.BaselinePasses, only.CandidatePasses));
        Assert.Equal(GateRunSeed.BaselineAnswer, only.BaselineAnswer);
        Assert.Equal(GateRunSeed.CandidateAnswer, only.CandidateAnswer);
        Assert.Equal("contains: missing '30 days'", only.CandidateReason);
    }

    [Fact]
    public async Task Cases_UnknownVerdict_Is400_AndLatestWithoutAnyIsEmpty()
    {
        await using var h = await AdminHarness.StartAsync();
        var token = await h.TokenAsync(Role.Viewer);

        var unknown = await h.SendAsync(HttpMethod.Get, "/admin/v1/releases/v2/verdicts/gv-nope/cases", token);
        var none = await h.SendAsync(HttpMethod.Get, "/admin/v1/releases/v2/verdicts/latest/cases", token);

        Assert.Equal(400, unknown.Status);
        Assert.Equal(200, none.Status);
        using var doc = JsonDocument.Parse(none.Body);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("verdict").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("cases").GetArrayLength());
    }

    private static Task<GateVerdictRecord> SeedAsync(AdminHarness h) => GateRunSeed.SeedAsync(h.F.Store, h.F.Manifest.App, h.F.V2.Id, h.F.V1.Id);
}
