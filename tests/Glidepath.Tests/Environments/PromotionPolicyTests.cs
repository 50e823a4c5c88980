using Glidepath.Environments;
using Glidepath.Evals;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

public sealed class PromotionPolicyTests
{
    private static readonly EnvironmentState Empty = new() { App = "app", Name = "production" };
    private static readonly EnvironmentState OnV2 = Empty with { Revision = 3, StableReleaseId = "id2" };

    private static string Name(string id) => "v" + id[2..];

    private static Dictionary<string, IReadOnlyList<EnvironmentEvent>> Staging(params string[] stables) => new()
    {
        ["staging"] = stables.Select((id, i) => Event(i + 1, "deploy", null, id)).ToList(),
    };

    private static GateVerdictRecord Verdict(string result, string candidate = "id3", string baseline = "id2") =>
        new("g1", "app", candidate, baseline, "d", result, null, T0, "{}");

    [Fact]
    public void Assess_ReleaseNeverStableInRequiredEnvironment_NamesItAndTheDeployCommand()
    {
        var a = PromotionPolicy.Assess(Production, Empty, "id3", Staging("id1"), null, Manifest(EnvironmentTestData.Staging, Production), Name);
        var missing = Assert.Single(a.Missing);
        Assert.Equal("requires", missing.Kind);
        Assert.Contains("staging", missing.Missing, StringComparison.Ordinal);
        Assert.Equal("glidepath deploy v3 --env staging", missing.Command);
        Assert.False(a.Allowed);
    }

    [Fact]
    public void Assess_FirstReleaseStableInStaging_IsAllowedWithoutGate()
    {
        var a = PromotionPolicy.Assess(Production, Empty, "id3", Staging("id3"), null, Manifest(EnvironmentTestData.Staging, Production), Name);
        Assert.True(a.Allowed);
        Assert.True(a.FirstRelease);
        Assert.Equal(["staging"], a.RequiresMet);
    }

    [Fact]
    public void Assess_NoVerdictAgainstCurrentStable_NamesTheGateCommand()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), null, Manifest(EnvironmentTestData.Staging, Production), Name);
        var missing = Assert.Single(a.Missing);
        Assert.Equal("gate", missing.Kind);
        Assert.Equal("no passing gate verdict for v3 against production's stable v2", missing.Missing);
        Assert.Equal("glidepath gate v3 --baseline env:production", missing.Command);
    }

    [Fact]
    public void Assess_LatestVerdictBlocked_IsRefusedSayingSo()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Verdict("blocked"), Manifest(EnvironmentTestData.Staging, Production), Name);
        Assert.Contains("'blocked'", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_VerdictAgainstAnotherBaseline_DoesNotCount()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Verdict("pass", baseline: "id1"), Manifest(EnvironmentTestData.Staging, Production), Name);
        Assert.Equal("gate", Assert.Single(a.Missing).Kind);
    }

    [Fact]
    public void Assess_StagingAndPassingVerdict_IsAllowedWithTheVerdictAsEvidence()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id1", "id3"), Verdict("pass"), Manifest(EnvironmentTestData.Staging, Production), Name);
        Assert.True(a.Allowed);
        Assert.Equal("g1", a.GateVerdictId);
        Assert.Equal("id2", a.BaselineReleaseId);
        Assert.False(a.FirstRelease);
    }

    [Fact]
    public void Assess_RequiredEnvironmentHasItsOwnPath_SuggestsPromote()
    {
        var qa = new global::Glidepath.Manifests.EnvironmentSpec { Name = "qa" };
        var staging = new global::Glidepath.Manifests.EnvironmentSpec { Name = "staging", Requires = ["qa"], Owner = "x" };
        var a = PromotionPolicy.Assess(Production, Empty, "id3", new Dictionary<string, IReadOnlyList<EnvironmentEvent>>(), null, Manifest(qa, staging, Production), Name);
        Assert.Equal("glidepath promote v3 --env staging", Assert.Single(a.Missing).Command);
    }
}
