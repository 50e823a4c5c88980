using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Environments;

public sealed class CanaryCliTests
{
    /// <summary>production serves v1 with v2 as a 5% canary, written through the store as a rollout would.</summary>
    private static async Task<EnvApp> CanaryAsync()
    {
        var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var state = await store.Environments.GetAsync("support-agent", "production", CancellationToken.None);
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = "support-agent",
            Environment = "production",
            ExpectedRevision = state.Revision,
            NewState = state with { Canary = new CanaryState(app.Ids["v2"], 5, "seed-1") },
            Event = new EnvironmentEvent
            {
                App = "support-agent",
                Environment = "production",
                Revision = 0,
                Kind = "canary_set",
                Actor = "rollout-controller",
                Time = DateTimeOffset.UtcNow,
                FromReleaseId = null,
                ToReleaseId = null,
            },
        }, CancellationToken.None);
        return app;
    }

    [Fact]
    public async Task Status_ActiveCanary_ShowsReleaseAndWeight()
    {
        await using var app = await CanaryAsync();
        var prod = (await app.JsonAsync("status")).GetProperty("environments")[1];
        var canary = prod.GetProperty("canary");
        Assert.Equal("v2", canary.GetProperty("release").GetProperty("name").GetString());
        Assert.Equal(5, canary.GetProperty("weight").GetDouble());
        Assert.Equal("v1", prod.GetProperty("stable").GetProperty("name").GetString());

        var (_, text, _) = await app.RunAsync("status");
        Assert.Contains($"v2+{app.Ids["v2"][..8]} at 5%", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ActiveCanary_Exits4()
    {
        await using var app = await CanaryAsync();
        await app.SaveVerdictAsync("v2", "v1", "pass");
        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("active canary (v2 at 5%)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_ActiveCanary_EndsTheCanaryAndKeepsStable()
    {
        await using var app = await CanaryAsync();
        var result = await app.JsonAsync("rollback", "--env", "production", "--reason", "canary errors");
        var env = result.GetProperty("environment");
        Assert.Equal(JsonValueKind.Null, env.GetProperty("canary").ValueKind);
        Assert.Equal("v1", env.GetProperty("stable").GetProperty("name").GetString());
        var ev = result.GetProperty("event");
        Assert.Equal("v2", ev.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("v1", ev.GetProperty("to").GetProperty("name").GetString());
        Assert.Equal(5, ev.GetProperty("details").GetProperty("canary_cleared").GetProperty("weight").GetDouble());
    }
}
