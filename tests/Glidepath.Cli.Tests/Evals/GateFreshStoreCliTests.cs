using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>A pull request's gate on a fresh CI store (outside trial ciflow #4 and #8): the names it gives, the advice when nothing can be the baseline.</summary>
public sealed class GateFreshStoreCliTests
{
    // ci.md said the candidate was v1 and the baseline v2; the gate resolves (and registers) the baseline first.
    [Fact]
    public async Task Gate_FreshStore_BaselineIsV1AndTheCandidateV2()
    {
        using var dir = TestGit.SampleRepo(".glidepath/\n");
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nBe kind.\n");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json");

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.StartsWith("v1+", doc.RootElement.GetProperty("baseline").GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("v2+", doc.RootElement.GetProperty("candidate").GetProperty("label").GetString(), StringComparison.Ordinal);
    }

    // The manifest's default baseline (env:production) names nothing in a fresh store, and neither would v1.
    [Fact]
    public async Task Gate_NoReleaseInTheStoreInAGitCheckout_SuggestsTheBaseBranchNotV1()
    {
        using var dir = TestGit.SampleRepo(".glidepath/\n");

        var run = await CliRunner.RunAsync("gate", "--manifest", dir.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(
            "environment 'production' has no stable release yet; deploy or promote one first. This store has no release of support-agent yet: gate against the base branch instead, e.g. --baseline git:origin/main\n",
            run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("--baseline v1", run.Stderr, StringComparison.Ordinal);
    }

    // A clone knows its remote's default branch (origin/HEAD): that is the base to name, whatever it is called.
    [Fact]
    public async Task Gate_NoReleaseInACloneOfATrunkRepository_SuggestsTheRemotesDefaultBranch()
    {
        using var origin = TestGit.SampleRepo(".glidepath/\n");
        TestGit.Run(origin.Path, "branch", "-M", "trunk");
        using var clones = new TempDir();
        TestGit.Run(clones.Path, "clone", "-q", origin.Path, "app");
        var app = Path.Combine(clones.Path, "app");
        TestGit.Run(app, "checkout", "-q", "-b", "feature");

        var run = await CliRunner.RunAsync("gate", "--manifest", app);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("gate against the base branch instead, e.g. --baseline git:origin/trunk\n", run.Stderr, StringComparison.Ordinal);
    }

    // With another release in the store, naming it is still the advice; the candidate itself never is (newcomer trial L5:
    // "--baseline v1" with v1 the working tree's own content, and following it stored a pass of v1 against v1).
    [Fact]
    public async Task Gate_AReleaseInTheStore_SuggestsItUnlessItIsTheCandidate()
    {
        using var dir = TestGit.SampleRepo(".glidepath/\n");
        var create = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path);
        Assert.True(create.ExitCode == 0, create.Stderr);

        var self = await CliRunner.RunAsync("gate", "--manifest", dir.Path);
        var prompt = Path.Combine(dir.Path, "prompts", "system.md");
        await File.AppendAllTextAsync(prompt, "Be brief.\n");
        var other = await CliRunner.RunAsync("gate", "--manifest", dir.Path);

        Assert.Equal(2, self.ExitCode);
        Assert.DoesNotContain("--baseline v1", self.Stderr, StringComparison.Ordinal);
        Assert.Contains("No other release of support-agent is registered, so there is nothing to gate", self.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("Gate against another registered release instead, e.g. --baseline v1 ('glidepath release list' shows them)", other.Stderr, StringComparison.Ordinal);
    }
}
