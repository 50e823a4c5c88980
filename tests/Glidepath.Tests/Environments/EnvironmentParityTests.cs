using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Tests.Releases;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

public sealed class EnvironmentParityTests
{
    [Fact]
    public void Compare_OnlyEndpointsAndVarValuesDiffer_IsInParityWithThoseAsExpected()
    {
        var a = new EnvironmentSpec { Name = "staging", Vars = new Dictionary<string, string> { ["kb"] = "s" }, Providers = new Dictionary<string, ProviderSettings> { ["openai"] = new() { ApiKeyEnv = "KEY_STAGING", BaseUrl = "https://staging.example/v1" } } };
        var b = new EnvironmentSpec { Name = "production", Vars = new Dictionary<string, string> { ["kb"] = "p" } };
        var report = EnvironmentParity.Compare(Manifest(a, b), a, b, null, null);
        Assert.Empty(report.Differences);
        Assert.Equal(["openai.base_url", "openai.api_key_env", "kb"], report.Expected.Select(d => d.Key));
        Assert.True(report.Parity);
        Assert.Null(report.SameRelease);
    }

    [Fact]
    public void Compare_ProviderOverrideBeyondEndpoint_IsADifference()
    {
        var a = new EnvironmentSpec { Name = "staging", Providers = new Dictionary<string, ProviderSettings> { ["openai"] = new() { Timeout = TimeSpan.FromSeconds(5), MaxRetries = 0 } } };
        var b = new EnvironmentSpec { Name = "production" };
        var report = EnvironmentParity.Compare(Manifest(a, b), a, b, null, null);
        Assert.Equal(["openai.timeout", "openai.max_retries"], report.Differences.Select(d => d.Key));
        Assert.Equal("00:00:05", report.Differences[0].A);
        Assert.Equal("00:00:30", report.Differences[0].B);
        Assert.False(report.Parity);
    }

    [Fact]
    public void Compare_ProviderOnlyInOneEnvironment_IsADifference()
    {
        var a = new EnvironmentSpec { Name = "staging", Providers = new Dictionary<string, ProviderSettings> { ["anthropic"] = new() { ApiKeyEnv = "K" } } };
        var b = new EnvironmentSpec { Name = "production" };
        var d = Assert.Single(EnvironmentParity.Compare(Manifest(a, b), a, b, null, null).Differences);
        Assert.Equal(("provider", "anthropic", "configured", (string?)null), (d.Aspect, d.Key, d.A, d.B));
    }

    [Fact]
    public void Compare_VarKeyInOneOnlyAndPromotionPath_AreReported()
    {
        var a = new EnvironmentSpec { Name = "staging", Vars = new Dictionary<string, string> { ["debug"] = "1" } };
        var report = EnvironmentParity.Compare(Manifest(a, Production), a, Production, null, null);
        Assert.Equal(["vars:debug", "promotion_path:requires", "promotion_path:owner"], report.Differences.Select(d => $"{d.Aspect}:{d.Key}"));
        Assert.False(report.Parity);
    }

    [Fact]
    public void Compare_OnlyPromotionPathDiffers_IsStillParity()
    {
        var report = EnvironmentParity.Compare(Manifest(Staging, Production), Staging, Production, null, null);
        Assert.Equal(2, report.Differences.Count);
        Assert.True(report.Parity);
    }

    // Newcomer trial L9: a changed prompt read "release  prompt prompts/system.md  differs  differs", a cell pair that said
    // nothing the key had not. Each side now names its content by sha256 prefix, as 'release show' lists files.
    [Fact]
    public void Compare_StablesWithDifferentPromptToolAndFile_EachSideShowsItsContentHashPrefix()
    {
        var a = TestReleases.Sample();
        var b = TestReleases.Sample(dir =>
        {
            dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nAlways greet the customer by name.\n");
            dir.Write("agent/handoff.md", dir.Read("agent/handoff.md") + "\nOne more line.\n");
            dir.Write("tools/escalate.json", dir.Read("tools/escalate.json").Replace("\"description\": \"", "\"description\": \"Now: ", StringComparison.Ordinal));
        });

        var report = EnvironmentParity.Compare(Manifest(Staging, Production), Staging, Production, a, b);

        string Prefix(Release r, string path) => "sha256:" + ReleaseBuilder.HashHex(r.Snapshot().Files[path])[..12];
        var prompt = Assert.Single(report.Differences, d => d.Key == "prompt prompts/system.md");
        Assert.Equal((Prefix(a, "prompts/system.md"), Prefix(b, "prompts/system.md")), (prompt.A, prompt.B));
        var file = Assert.Single(report.Differences, d => d.Key == "file changed agent/handoff.md");
        Assert.Equal((Prefix(a, "agent/handoff.md"), Prefix(b, "agent/handoff.md")), (file.A, file.B));
        var tool = Assert.Single(report.Differences, d => d.Key == "tool changed escalate");
        Assert.Equal((Prefix(a, "tools/escalate.json"), Prefix(b, "tools/escalate.json")), (tool.A, tool.B));
        Assert.DoesNotContain(report.Differences, d => d.A == "differs" || d.B == "differs");
    }
}
