using System.Collections.Concurrent;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>
/// A small app in a temp folder with a real SQLite store. Its model answers with the lines of the system prompt,
/// so a prompt that loses a policy line fails the cases that need it. A client made with the cache (<see cref="ResponseCacheMode.Use"/>)
/// keeps its answers by trial and conversation, as the response cache does, and serves them again without a model call;
/// one made with <see cref="ResponseCacheMode.Refresh"/> (<c>--no-cache</c>) calls every time and writes over them.
/// </summary>
internal sealed class EvalTestApp : IAsyncDisposable
{
    public const string Prompt = "Refunds are accepted within 30 days.\nShipping takes 5 days.\n";

    private readonly TempDir _dir = new();
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);
    private int _calls;

    private EvalTestApp()
    {
    }

    public SqliteStore Store { get; private set; } = null!;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 9, 15, 0, TimeSpan.Zero));

    /// <summary>Model calls made so far, judge calls included; answers served from the cache are not calls.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Called before each answer with the rendered system prompt; throw to make the call fail.</summary>
    public Action<string>? BeforeAnswer { get; set; }

    public static async Task<EvalTestApp> CreateAsync(string gateBaseline = "env:production")
    {
        var app = new EvalTestApp();
        app._dir.Write("prompts/system.md", Prompt);
        app._dir.Write("evals/cases.jsonl", """
            {"id":"refund","input":{"messages":[{"role":"user","content":"Can I get a refund?"}]},"expect":{"contains":["30 days"]},"tags":["refunds"]}
            {"id":"shipping","input":{"messages":[{"role":"user","content":"How long is shipping?"}]},"expect":{"contains":["5 days"]},"tags":["shipping"]}
            {"id":"shipping-again","input":{"messages":[{"role":"user","content":"When will it arrive?"}]},"expect":{"contains":["5 days"]},"tags":["shipping"]}

            """);
        app._dir.Write("glidepath.yaml", $$"""
            app: shop
            release:
              model: { provider: sim, name: sim-1 }
              prompt: { system: prompts/system.md }
            eval:
              dataset: evals/cases.jsonl
              scorers:
                - { type: contains }
              gate:
                baseline: {{gateBaseline}}
            environments:
              production: { owner: oncall }

            """);
        app.Store = await SqliteStore.OpenAsync(app._dir.File(".glidepath/test.db"), null, CancellationToken.None);
        return app;
    }

    public Manifest Manifest => ManifestParser.Load(_dir.File("glidepath.yaml"));

    public void EditPrompt(Func<string, string> edit) => _dir.Write("prompts/system.md", edit(_dir.Read("prompts/system.md")));

    public void WriteFile(string relativePath, string text) => _dir.Write(relativePath, text);

    public void EditDataset(Func<string, string> edit) => _dir.Write("evals/cases.jsonl", edit(_dir.Read("evals/cases.jsonl")));

    /// <summary>An eval service over the manifest as it is now.</summary>
    public EvalService Evals(bool useCache = false)
    {
        var manifest = Manifest;
        var releases = new ReleaseResolver(manifest, Store, Time) { EnvironmentStable = Glidepath.Environments.EnvironmentRefs.StableLookup(Store, manifest.App) };
        return new EvalService(EvalSetup.For(manifest, null, [], useCache), Store, new Clients(this), releases, Time)
        {
            // Each service here stands for one CLI process, ended before the next one starts: a lease this test process
            // left is its holder's, gone. RunLeaseTests gives services holders of other processes.
            Holder = RunHolder.ForThisProcess() with { IsGone = lease => lease.Host == Environment.MachineName && lease.Pid == Environment.ProcessId },
        };
    }

    /// <summary>An eval service whose lease holder is <paramref name="holder"/> (another process, for the lease's tests).</summary>
    public EvalService Evals(RunHolder holder)
    {
        var manifest = Manifest;
        var releases = new ReleaseResolver(manifest, Store, Time) { EnvironmentStable = Glidepath.Environments.EnvironmentRefs.StableLookup(Store, manifest.App) };
        return new EvalService(EvalSetup.For(manifest, null, [], false), Store, new Clients(this), releases, Time) { Holder = holder };
    }

    /// <summary>Registers the working tree as a release.</summary>
    public async Task<Release> RegisterAsync()
    {
        using var evals = Evals();
        return await evals.Releases.ResolveAsync("working", register: true, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Clients(EvalTestApp app) : IModelClientFactory
    {
        public IChatClient Create(ModelSpec model, ProviderSettings settings, ModelClientOptions options) => new Client(app, options.Cache == ResponseCacheMode.Off ? null : options.TrialIndex, options.Cache == ResponseCacheMode.Use);
    }

    /// <param name="cachedTrial">The trial index the answers are cached under, or null for a client without the cache.</param>
    /// <param name="read">Whether cached answers are served (false: a --no-cache run, which only writes).</param>
    private sealed class Client(EvalTestApp app, int? cachedTrial, bool read) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            var key = $"{cachedTrial}\n{string.Join("\n", list.Select(m => $"{m.Role}: {m.Text}"))}";
            if (read && cachedTrial is not null && app._cache.TryGetValue(key, out var cached))
            {
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, cached)));
            }

            Interlocked.Increment(ref app._calls);
            cancellationToken.ThrowIfCancellationRequested();
            var system = string.Join("\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
            app.BeforeAnswer?.Invoke(system);
            if (cachedTrial is not null)
            {
                app._cache[key] = system;
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, system)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
