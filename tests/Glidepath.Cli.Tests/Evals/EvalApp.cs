using System.Text.Json;
using Glidepath.Cli.Commands;
using Glidepath.Models;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>A copy of the sample app (sim model, no latency) in a temp folder, driven through the CLI in-process.</summary>
internal sealed class EvalApp : IDisposable
{
    private EvalApp(string dir)
    {
        Dir = dir;
    }

    public string Dir { get; }

    public string Manifest => Path.Combine(Dir, "glidepath.yaml");

    public string StorePath => Path.Combine(Dir, ".glidepath", "test.db");

    /// <summary>Replaces the model clients (default: the real providers with the sim).</summary>
    public Func<Manifests.Manifest, Storage.IGlidepathStore, IModelClientFactory>? ModelClients { get; set; }

    public static EvalApp Create()
    {
        var dir = Path.Combine(Path.GetTempPath(), "glidepath-evalcli-" + Guid.NewGuid().ToString("N"));
        InitCommand.CopyTree(InitCommand.SamplePath(), dir);
        var app = new EvalApp(dir);
        app.EditManifest(y => y.Replace("parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }",
            "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: { latency_scale: 0 }", StringComparison.Ordinal));
        return app;
    }

    /// <summary>The sample app on an OpenAI-compatible endpoint on 127.0.0.1 (no retries), optionally with a provider max_concurrency.</summary>
    public static EvalApp OnOpenAI(SlowOpenAIEndpoint endpoint, int? maxConcurrency = null)
    {
        var app = Create();
        var limit = maxConcurrency is { } m ? $", max_concurrency: {m}" : "";
        app.EditManifest(y => y
            .Replace("provider: sim ", "provider: openai ", StringComparison.Ordinal)
            .Replace("\n    options: { latency_scale: 0 }", "", StringComparison.Ordinal)
            .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }",
                $"openai: {{ base_url: {endpoint.BaseUrl}, max_retries: 0{limit} }}", StringComparison.Ordinal));
        return app;
    }

    /// <summary>
    /// The sample app (sim model) with an <c>llm_judge</c> on <paramref name="judge"/>; <paramref name="settings"/> are the
    /// judge's provider settings (default: no retries).
    /// </summary>
    public static EvalApp WithJudge(JudgeEndpoint judge, string settings = "max_retries: 0")
    {
        var app = Create();
        app.EditManifest(y => y
            .Replace("    - { type: tool_call }         # reads expect.tool_call of each case",
                "    - { type: tool_call }\n    - { type: llm_judge, rubric: evals/rubric.md, model: { provider: openai, name: judge-1 }, pass: 0.7 }", StringComparison.Ordinal)
            .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }",
                $"openai: {{ base_url: {judge.BaseUrl}, {settings} }}", StringComparison.Ordinal));
        return app;
    }

    public void EditManifest(Func<string, string> edit) => File.WriteAllText(Manifest, edit(File.ReadAllText(Manifest)));

    public void EditPrompt(Func<string, string> edit)
    {
        var path = Path.Combine(Dir, "prompts", "system.md");
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { ModelClients = ModelClients };
        var code = await CliApp.RunAsync([.. args, "--manifest", Manifest, "--store", StorePath], env, cancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    /// <summary>Runs the command line as given, without adding this app's --manifest and --store (a printed command that names them).</summary>
    public async Task<(int Code, string Stdout, string Stderr)> RunAsGivenAsync(IReadOnlyList<string> args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args], new CliEnvironment(stdout, stderr, false) { ModelClients = ModelClients }, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Registers the working tree as a release and returns its name (v1, v2…).</summary>
    public async Task<string> CreateReleaseAsync()
    {
        var (code, stdout, stderr) = await RunAsync("release", "create", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("release").GetProperty("name").GetString()!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
