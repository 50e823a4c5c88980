using System.Text.Json;
using Glidepath.Cli.Commands;
using Glidepath.Evals;
using Glidepath.Evals.Gate;
using Glidepath.Manifests;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Cli.Tests.Environments;

/// <summary>A copy of the sample app in a temp folder with N registered releases (v1..vN), driven through the CLI in-process.</summary>
internal sealed class EnvApp : IAsyncDisposable
{
    private EnvApp(string dir)
    {
        Dir = dir;
    }

    public string Dir { get; }

    public string Manifest => Path.Combine(Dir, "glidepath.yaml");

    public string StorePath => Path.Combine(Dir, ".glidepath", "test.db");

    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public static async Task<EnvApp> CreateAsync(int releases)
    {
        var dir = Path.Combine(Path.GetTempPath(), "glidepath-envcli-" + Guid.NewGuid().ToString("N"));
        InitCommand.CopyTree(InitCommand.SamplePath(), dir);
        var app = new EnvApp(dir);
        for (var i = 1; i <= releases; i++)
        {
            await File.AppendAllTextAsync(Path.Combine(dir, "prompts", "system.md"), $"\nRevision note {i}.\n");
            var (code, stdout, stderr) = await app.RunAsync("release", "create", "-m", $"r{i}", "--format", "json");
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var release = doc.RootElement.GetProperty("release");
            app.Ids[release.GetProperty("name").GetString()!] = release.GetProperty("id").GetString()!;
        }

        return app;
    }

    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--manifest", Manifest, "--store", StorePath], stdout, stderr, isTerminal: false, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public async Task<int> OkAsync(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"glidepath {string.Join(' ', args)} exited {code}: {stderr}");
        return code;
    }

    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync([.. args, "--format", "json"]);
        Assert.True(code == 0, $"glidepath {string.Join(' ', args)} exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// Stores a gate verdict directly, as 'glidepath gate' would: on the app's dataset and scorers as they are now, unless
    /// <paramref name="datasetSha256"/> or <paramref name="scorerVersion"/> say it was computed on others, under the
    /// manifest's gate rule unless <paramref name="rule"/> names another.
    /// </summary>
    public async Task SaveVerdictAsync(string candidate, string baseline, string result, string? datasetSha256 = null, string? scorerVersion = null, DateTimeOffset? at = null, VerdictRule? rule = null)
    {
        var basis = await GateBasis.CurrentAsync(ManifestParser.Load(Manifest), CancellationToken.None);
        await using var store = await SqliteStore.OpenAsync(StorePath, TimeProvider.System, CancellationToken.None);
        await store.GateVerdicts.SaveAsync(
            new GateVerdictRecord(Guid.NewGuid().ToString("N"), "support-agent", Ids[candidate], Ids[baseline], datasetSha256 ?? basis.DatasetSha256, result,
                scorerVersion ?? basis.ScorerVersion, at ?? DateTimeOffset.UtcNow, "{}")
            {
                GateRule = (rule ?? basis.Rule).Json,
                GateRuleSha256 = (rule ?? basis.Rule).Sha256,
            },
            CancellationToken.None);
    }

    /// <summary>Staging has had every release v1..vN as its stable, so production's path is satisfied.</summary>
    public async Task DeployAllToStagingAsync()
    {
        foreach (var name in Ids.Keys.Order(StringComparer.Ordinal))
        {
            await OkAsync("deploy", name, "--env", "staging");
        }
    }

    public async Task<string?> StableAsync(string environment)
    {
        var status = await JsonAsync("status");
        var env = status.GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == environment);
        var stable = env.GetProperty("stable");
        return stable.ValueKind == JsonValueKind.Null ? null : stable.GetProperty("name").GetString();
    }

    public ValueTask DisposeAsync()
    {
        SqlitePools.ClearFolder(Dir);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does not change any result.
        }

        return ValueTask.CompletedTask;
    }
}
