using System.Text.Json;
using Glidepath.Cli.Commands;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;
using Microsoft.Extensions.Time.Testing;
using Glidepath.Testing;

namespace Glidepath.Cli.Tests.Monitoring;

/// <summary>
/// A copy of the sample app with registered releases, a fake clock shared by the CLI and the traces it writes,
/// driven through the CLI in-process.
/// </summary>
internal sealed class MonitorApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private MonitorApp(string dir)
    {
        Dir = dir;
    }

    public string Dir { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public string Manifest => Path.Combine(Dir, "glidepath.yaml");

    public string StorePath => Path.Combine(Dir, ".glidepath", "test.db");

    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public static async Task<MonitorApp> CreateAsync(int releases)
    {
        var dir = Path.Combine(Path.GetTempPath(), "glidepath-moncli-" + Guid.NewGuid().ToString("N"));
        InitCommand.CopyTree(InitCommand.SamplePath(), dir);
        var app = new MonitorApp(dir);
        app.EditManifest(y => y.Replace("parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }",
            "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: { latency_scale: 0 }", StringComparison.Ordinal));
        for (var i = 1; i <= releases; i++)
        {
            await app.AddReleaseAsync($"\nRevision note {i}.\n");
        }

        return app;
    }

    public void EditManifest(Func<string, string> edit) => File.WriteAllText(Manifest, edit(File.ReadAllText(Manifest)));

    public void EditPrompt(Func<string, string> edit)
    {
        var path = Path.Combine(Dir, "prompts", "system.md");
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    /// <summary>Appends <paramref name="promptNote"/> to the prompt and registers the working tree; returns the release name.</summary>
    public async Task<string> AddReleaseAsync(string promptNote)
    {
        await File.AppendAllTextAsync(Path.Combine(Dir, "prompts", "system.md"), promptNote);
        var release = (await JsonAsync("release", "create")).GetProperty("release");
        var name = release.GetProperty("name").GetString()!;
        Ids[name] = release.GetProperty("id").GetString()!;
        return name;
    }

    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { Time = Time };
        var code = await CliApp.RunAsync([.. args, "--manifest", Manifest, "--store", StorePath], env, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public async Task OkAsync(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"glidepath {string.Join(' ', args)} exited {code}: {stderr}");
    }

    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync([.. args, "--format", "json"]);
        Assert.True(code == 0, $"glidepath {string.Join(' ', args)} exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    public async Task<(int Code, JsonElement Json)> JsonWithCodeAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync([.. args, "--format", "json"]);
        try
        {
            using var doc = JsonDocument.Parse(stdout);
            return (code, doc.RootElement.Clone());
        }
        catch (JsonException)
        {
            Assert.Fail($"exit {code}, not JSON: {stdout}\n{stderr}");
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> traces of <paramref name="release"/> on <paramref name="environment"/>, evenly spread over
    /// [<paramref name="from"/>, from + <paramref name="span"/>), every k-th one an error so that the error rate is <paramref name="errorRate"/>.
    /// </summary>
    public async Task<IReadOnlyList<TraceRecord>> WriteTracesAsync(string environment, string release, DateTimeOffset from, TimeSpan span, int count,
        double errorRate = 0, Func<int, TraceRecord, TraceRecord>? shape = null)
    {
        var traces = new List<TraceRecord>(count);
        var errorEvery = errorRate > 0 ? (int)Math.Round(1 / errorRate) : int.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var t = new TraceRecord
            {
                TraceId = Glidepath.Testing.TestTraceIds.Of($"{environment}/{release}/{from:O}", i),
                App = "support-agent",
                Environment = environment,
                ReleaseId = Ids[release],
                Arm = "stable",
                StartedAt = from + (span * i / count),
                Api = "openai",
                Model = "sim-support-1",
                Status = (i + 1) % errorEvery == 0 ? 502 : 200,
                Error = (i + 1) % errorEvery == 0 ? "provider_error" : null,
                LatencyMs = 400 + (i % 7 * 50),
                OverheadMs = 0.2,
                InputTokens = 120,
                OutputTokens = 40 + (i % 5),
                CostUsd = 0.0009 + (i % 5 * 0.000015),
                FinishReason = "stop",
            };
            traces.Add(shape is null ? t : shape(i, t));
        }

        await using var store = await SqliteStore.OpenAsync(StorePath, Time, CancellationToken.None);
        await store.Traces.WriteBatchAsync(traces, CancellationToken.None);
        return traces;
    }

    public async Task<SqliteStore> OpenStoreAsync() => await SqliteStore.OpenAsync(StorePath, Time, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        SqlitePools.ClearFolder(Dir);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
