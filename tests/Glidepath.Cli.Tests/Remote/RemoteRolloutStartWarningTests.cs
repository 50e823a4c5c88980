using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// Stop 53's leftover: <c>rollout start --server</c> started a rollout whose plan leaves retry_rate out while the
/// provider retries without the warning a local start prints. The server's manifest decides it; the answer's
/// <c>note</c> carries it, and the CLI prints it on stderr as a local start does.
/// </summary>
public sealed class RemoteRolloutStartWarningTests
{
    [Fact]
    public async Task RolloutStart_ThroughTheAdminApi_PlanWithoutRetryRate_WarnsAsALocalStartDoes()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var yaml = await File.ReadAllTextAsync(app.Manifest);
        yaml = yaml.Replace("provider: sim", "provider: openai", StringComparison.Ordinal);
        yaml = System.Text.RegularExpressions.Regex.Replace(yaml, @"\n    retry_rate:[^\n]*", "");
        await File.WriteAllTextAsync(app.Manifest, yaml);
        for (var i = 1; i <= 2; i++)
        {
            await File.AppendAllTextAsync(Path.Combine(app.Dir, "prompts", "system.md"), $"\nRevision note {i}.\n");
            var release = (await app.JsonAsync("release", "create")).GetProperty("release");
            app.Ids[release.GetProperty("name").GetString()!] = release.GetProperty("id").GetString()!;
        }

        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.OkAsync("deploy", "v2", "--env", "staging");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        var admin = (await app.JsonAsync("tokens", "create", "--role", "admin", "--name", "ops")).GetProperty("token").GetString()!;
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var manifest = ManifestParser.Load(app.Manifest);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        await using var gateway = await GatewayServer.StartAsync(
            ServingOptions.For(store, manifest, "staging", models) with { Rollouts = null, Monitor = null },
            new GatewayServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
                Admin = new AdminOptions { Manifest = manifest, Store = store },
            },
            CancellationToken.None);

        var (code, stdout, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--format", "json", "--server", gateway.Urls[0], "--token", admin);

        Assert.True(code == 0, stderr);
        Assert.Contains("warning: rollout.metrics does not list retry_rate, and providers.openai retries failed calls (max_retries 3 on production)", stderr, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(stdout);
        Assert.StartsWith("warning: rollout.metrics does not list retry_rate", answer.RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
        // Newcomer trial L4: this gateway runs no controller, and the admin API's note says what a local start says of it.
        Assert.Contains("warning: no controller holds the lease of production", answer.RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains("warning: no controller holds the lease of production", stderr, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, answer.RootElement.GetProperty("judged_by").ValueKind);
        Assert.Equal("progressing", answer.RootElement.GetProperty("rollout").GetProperty("state").GetString());
    }
}
