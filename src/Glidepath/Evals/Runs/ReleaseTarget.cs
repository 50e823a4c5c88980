using System.Collections.Concurrent;
using System.Globalization;
using Glidepath.Evals.Datasets;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Runs;

/// <summary>
/// Sends cases to a release: its rendered system prompt, the case's messages, the release's parameters and
/// tools (as <see cref="ReleaseApplier"/> applies them, the same rule as serving), through the model pipeline built by <see cref="IModelClientFactory"/>
/// (resilience, response cache per trial, cost).
/// </summary>
public sealed class ReleaseTarget : IEvalTarget
{
    private readonly ReleaseSnapshot _snapshot;
    private readonly IModelClientFactory _factory;
    private readonly ProviderSettings _settings;
    private readonly bool _useCache;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, IChatClient> _clients = new();
    private readonly ReleaseApplier _applier;
    private readonly RenderedPrompts _prompts;

    public ReleaseTarget(Release release, IModelClientFactory factory, ProviderSettings settings, bool useCache, TimeProvider time)
    {
        ReleaseId = release.Id;
        _snapshot = release.Snapshot();
        _factory = factory;
        _settings = settings;
        _useCache = useCache;
        _time = time;
        _applier = new ReleaseApplier(_snapshot);
        _prompts = new RenderedPrompts(_applier);
    }

    public string ReleaseId { get; }

    /// <summary>Prompt variables for every case (an environment's vars and <c>--var</c>); a case's own <c>input.vars</c> override them.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Adds to the error for prompt variables a case leaves unset where they could come from (<see cref="EvalSetup.UnsetVarsHint"/>):
    /// given the unset names, a sentence, or null for none.
    /// </summary>
    public Func<IReadOnlyList<string>, string?>? UnsetVarsHint { get; init; }

    public ModelSpec Model => _snapshot.Model;

    /// <summary>
    /// Builds the first trial's model client now, so what fails for every call (a provider's API key variable that is
    /// not set) fails the run before its first case rather than once per trial.
    /// </summary>
    public void Prepare() => Client(0);

    public async Task<TargetResponse> InvokeAsync(EvalCase evalCase, int trial, CancellationToken cancellationToken)
    {
        var client = Client(trial);
        var vars = VarsFor(evalCase);
        ChatMessage system;
        try
        {
            system = _prompts.For(vars);
        }
        catch (Errors.BadInputException ex) when (UnsetVarsHint is not null)
        {
            var unset = PromptTemplate.Variables(_snapshot.SystemPrompt).Where(v => !vars.ContainsKey(v)).ToList();
            throw unset.Count > 0 && UnsetVarsHint(unset) is { } hint ? new Errors.BadInputException($"{ex.Message}. {hint}", ex) : ex;
        }

        var (messages, options) = _applier.Apply(system, evalCase.Messages);
        var started = _time.GetTimestamp();
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);

        // The time the provider took for the answer, as the pipeline measured it (one attempt: not the retries' backoff
        // or the wait for a concurrency slot), and for a cached answer the time it took when it was given: the cache's
        // own microseconds would pass every max_latency_ms and set a cached baseline against a called candidate on a
        // different footing. The wall time around the call only when the pipeline did not say.
        var latency = ModelResponseProperties.LatencyOf(response.AdditionalProperties) ?? _time.GetElapsedTime(started).TotalMilliseconds;
        return new TargetResponse(messages, response, latency, CostOf(response));
    }

    private IChatClient Client(int trial) =>
        _clients.GetOrAdd(trial, t => _factory.Create(_snapshot.Model, _settings, new ModelClientOptions { Cache = EvalCacheMode.Of(_useCache), TrialIndex = t, LeanClient = true, SharedBackoff = true }));

    private IReadOnlyDictionary<string, string> VarsFor(EvalCase evalCase)
    {
        if (Vars.Count == 0)
        {
            return evalCase.Vars;
        }

        var merged = new Dictionary<string, string>(Vars, StringComparer.Ordinal);
        foreach (var (k, v) in evalCase.Vars)
        {
            merged[k] = v;
        }

        return merged;
    }

    /// <summary>The USD the model pipeline priced the call at, or null when the model is unpriced.</summary>
    public static double? CostOf(ChatResponse response) =>
        ModelResponseProperties.CostOf(response.AdditionalProperties) is { } usd ? (double)usd : null;
}
