using System.Text.Json;

namespace Glidepath.Cli.Tests.Environments;

/// <summary>
/// newcomer4 M2 (remainder): an environment's vars key no template uses ('plna' for 'plan') was noted by deploy and promote
/// only. <c>release create</c>, where the manifest is checked with the release it makes, warns too, at the manifest's line,
/// on stderr and with exit 0.
/// </summary>
public sealed class EnvironmentVarWarningsCliTests
{
    [Fact]
    public async Task ReleaseCreate_EnvironmentVarNoTemplateUses_WarnsAtTheManifestLineExitZero()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var line = AddVar(app, "production", "plna: premium");

        var (code, stdout, stderr) = await app.RunAsync("release", "create", "--format", "json");

        Assert.Equal(0, code);
        Assert.Equal("v1", JsonDocument.Parse(stdout).RootElement.GetProperty("release").GetProperty("name").GetString());
        Assert.Contains($"warning: glidepath.yaml:{line}: environments.production.vars.plna is ignored by v1: no template of the release uses it (it uses: customer_tier)\n",
            stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n'), l => l.Contains("is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseCreate_EveryVarUsed_NoWarning()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var (code, _, stderr) = await app.RunAsync("release", "create");

        Assert.Equal(0, code);
        Assert.DoesNotContain("is ignored", stderr, StringComparison.Ordinal);
    }

    /// <summary>Adds <paramref name="entry"/> to the flow mapping of <paramref name="environment"/>'s vars; returns its line.</summary>
    internal static int AddVar(EnvApp app, string environment, string entry)
    {
        var lines = File.ReadAllLines(app.Manifest);
        var at = Array.FindIndex(lines, l => l.Trim() == environment + ":");
        var vars = Array.FindIndex(lines, at, l => l.TrimStart().StartsWith("vars: { customer_tier: standard", StringComparison.Ordinal));
        lines[vars] = lines[vars].Replace("customer_tier: standard", "customer_tier: standard, " + entry, StringComparison.Ordinal);
        File.WriteAllLines(app.Manifest, lines);
        return vars + 1;
    }
}
