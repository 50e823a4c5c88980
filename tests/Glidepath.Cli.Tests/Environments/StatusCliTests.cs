using System.Text.Json;

namespace Glidepath.Cli.Tests.Environments;

public sealed class StatusCliTests
{
    [Fact]
    public async Task Status_Json_ListsEveryManifestEnvironmentWithDocumentedFields()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging", "--reason", "first try");
        var status = await app.JsonAsync("status");
        Assert.Equal("support-agent", status.GetProperty("app").GetString());
        var envs = status.GetProperty("environments").EnumerateArray().ToList();
        Assert.Equal(["staging", "production"], envs.Select(e => e.GetProperty("name").GetString()));

        var staging = envs[0];
        Assert.Equal(["name", "owner", "requires", "revision", "stable", "stable_since", "stable_by", "frozen", "frozen_reason", "canary", "shadow", "rollout_warning"],
            staging.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, staging.GetProperty("revision").GetInt64());
        Assert.Equal($"v1+{app.Ids["v1"][..8]}", staging.GetProperty("stable").GetProperty("label").GetString());
        Assert.Equal(JsonValueKind.Null, staging.GetProperty("canary").ValueKind);

        var production = envs[1];
        Assert.Equal("support-ai-oncall", production.GetProperty("owner").GetString());
        Assert.Equal(JsonValueKind.Null, production.GetProperty("stable").ValueKind);
        Assert.Equal(0, production.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task Status_Text_ShowsStableLabelOwnerAndFrozen()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("freeze", "--env", "production", "--reason", "launch week");
        var (code, stdout, _) = await app.RunAsync("status");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("staging", StringComparison.Ordinal) && l.Contains($"v1+{app.Ids["v1"][..8]}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("production", StringComparison.Ordinal) && l.Contains("support-ai-oncall", StringComparison.Ordinal) && l.Contains("FROZEN: launch week", StringComparison.Ordinal));
    }

    // 'rollback --expect-revision N' asks for the revision status shows: the text table shows it too, not only JSON.
    [Fact]
    public async Task Status_Text_ShowsEachEnvironmentsRevision()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("deploy", "v2", "--env", "staging");
        var (code, stdout, _) = await app.RunAsync("status");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n');
        var header = lines.Single(l => l.StartsWith("environment", StringComparison.Ordinal));
        Assert.Equal(["environment", "rev", "stable"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.Equal(["staging", "2"], lines.Single(l => l.StartsWith("staging", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]);
        Assert.Equal(["production", "0"], lines.Single(l => l.StartsWith("production", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]);
    }

    [Fact]
    public async Task EnvDiff_DifferentStableReleases_ReportsReleaseAndPromotionPath()
    {
        await using var app = await EnvApp.CreateAsync(2);
        // Vars that differ by environment (the sample's do not) are expected differences, not a lack of parity.
        File.WriteAllText(app.Manifest, File.ReadAllText(app.Manifest).Replace("# owns the rollback decision\n    vars: { customer_tier: standard }",
            "# owns the rollback decision\n    vars: { customer_tier: gold }", StringComparison.Ordinal));
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production", "--force", "--reason", "setup");
        var diff = await app.JsonAsync("env", "diff", "staging", "production");
        Assert.False(diff.GetProperty("same_release").GetBoolean());
        Assert.True(diff.GetProperty("same_model").GetBoolean());
        Assert.False(diff.GetProperty("parity").GetBoolean());
        var keys = diff.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("aspect").GetString() + ":" + d.GetProperty("key").GetString()).ToList();
        Assert.Contains("promotion_path:requires", keys);
        Assert.Contains("promotion_path:owner", keys);
        Assert.Contains("release:stable", keys);
        Assert.Contains(diff.GetProperty("expected").EnumerateArray(), d => d.GetProperty("key").GetString() == "customer_tier");

        await app.SaveVerdictAsync("v2", "v1", "pass");
        await app.OkAsync("promote", "v2", "--env", "production");
        diff = await app.JsonAsync("env", "diff", "staging", "production");
        Assert.True(diff.GetProperty("same_release").GetBoolean());
        Assert.True(diff.GetProperty("parity").GetBoolean());
    }
}
