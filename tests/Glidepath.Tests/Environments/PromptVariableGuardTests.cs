using System.Text;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Shadow;
using Glidepath.Storage.InMemory;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

/// <summary>Every way a release reaches an environment's traffic checks that the environment gives its prompt's variables.</summary>
public sealed class PromptVariableGuardTests
{
    private const string Prompt = "Office: {{region}}.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // stored as base64, as a prompt file with a byte-order mark is
    public async Task DeployPromoteRolloutStartShadowStart_EachRefuseAReleaseWhosePromptNeedsAnUnsetVariable(bool bom)
    {
        var store = new InMemoryStore();
        var manifest = Manifest(new EnvironmentSpec { Name = "production" });
        var environments = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, TimeProvider.System);
        var v1 = await RegisterAsync(store, "id1", "{\"content\":{\"p.md\":{\"text\":\"Hello.\"}},\"prompt\":{\"system\":\"p.md\"}}");
        var content = bom
            ? $"{{\"base64\":\"{Convert.ToBase64String([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Prompt)])}\"}}"
            : $"{{\"text\":\"{Prompt}\"}}";
        var v2 = await RegisterAsync(store, "id2", $"{{\"content\":{{\"p.md\":{content}}},\"prompt\":{{\"system\":\"p.md\"}}}}");
        await environments.DeployAsync("production", v1, "ana", null, default);
        var rollouts = new RolloutService(manifest, environments, store.Environments, store.Rollouts, store.Traces, TimeProvider.System);
        var shadows = new ShadowService(manifest, environments, store.Environments, store.Shadows, TimeProvider.System);
        var plan = new RolloutPlan { Steps = [10, 100], MinRequests = 10, MaxDuration = TimeSpan.FromMinutes(5), Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.05 } } };

        var refusals = new[]
        {
            await Assert.ThrowsAsync<BadInputException>(() => environments.DeployAsync("production", v2, "ana", null, default)),
            await Assert.ThrowsAsync<BadInputException>(() => environments.PromoteAsync("production", v2, "ana", "forced", force: true, default)),
            await Assert.ThrowsAsync<BadInputException>(() => rollouts.StartAsync("production", v2, plan, "ana", "forced", force: true, default)),
            await Assert.ThrowsAsync<BadInputException>(() => shadows.StartAsync("production", v2, 0.5, null, null, "ana", null, default)),
        };

        Assert.All(refusals, ex => Assert.Contains("uses template variable 'region', which environment 'production' does not set", ex.Message, StringComparison.Ordinal));
        var state = await store.Environments.GetAsync("app", "production", default);
        Assert.Equal(("id1", null, null), (state.StableReleaseId, state.Canary, state.Shadow));
    }

    // newcomer4 M2: production set 'plna' where the prompt uses 'plan', open to callers; every request without the
    // header was a 400 blaming the caller, and no command said a word.
    [Fact]
    public async Task DeployAndPromote_EnvironmentVarNoTemplateUses_NoteNamesItTheMeantVariableAndThe400()
    {
        var store = new InMemoryStore();
        var staging = new EnvironmentSpec { Name = "staging", Vars = new Dictionary<string, string> { ["plna"] = "classic" }, RequestVars = ["plan"] };
        var production = new EnvironmentSpec { Name = "production", Requires = ["staging"], Vars = new Dictionary<string, string> { ["plan"] = "classic", ["tone"] = "warm" } };
        var manifest = Manifest(staging, production);
        var environments = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, TimeProvider.System);
        var v1 = await RegisterAsync(store, "id1", "{\"content\":{\"p.md\":{\"text\":\"Plan: {{plan}}.\"}},\"prompt\":{\"system\":\"p.md\"}}");

        var deployed = await environments.DeployAsync("staging", v1, "ana", null, default);
        var promoted = await environments.PromoteAsync("production", v1, "ana", null, force: false, default);

        Assert.Equal(
            "note: environments.staging.vars.plna is ignored by v1: no template of the release uses it (it uses: plan); did you mean 'plan'? " +
            "'plan' has no value in staging, so every request without a Glidepath-Var-plan header gets a 400",
            deployed.Note);
        Assert.Contains("note: environments.production.vars.tone is ignored by v1: no template of the release uses it (it uses: plan)", promoted.Note, StringComparison.Ordinal);
        Assert.DoesNotContain("vars.plan ", promoted.Note, StringComparison.Ordinal);
    }

    private static async Task<Release> RegisterAsync(InMemoryStore store, string id, string json) =>
        (await store.Releases.RegisterAsync(new ReleaseDraft { Id = id, App = "app", CanonicalJson = json, Author = "ana", CreatedAt = T0 }, default)).Release;
}
