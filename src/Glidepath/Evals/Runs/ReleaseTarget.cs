using System.Collections.Concurrent;
using System.Text.Json;
using Glidepath.Evals.Datasets;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Runs;

/// <summary>
/// Sends cases to a release: its rendered system prompt, the case's messages, the release's parameters and
/// tools, through the model client pipeline (resilience, response cache) built by <see cref="IModelClientFactory"/>.
/// </summary>
public sealed class ReleaseTarget : IEvalTarget
{
    private readonly ReleaseSnapshot _snapshot;
    private readonly IModelClientFactory _factory;
    private readonly ProviderSettings _settings;
    private readonly bool _useCache;
    private readonly Func<ModelSpec, ChatResponse, double?> _cost;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, IChatClient> _clients = new();
    private readonly IList<AITool> _tools;

    public ReleaseTarget(Release release, IModelClientFactory factory, ProviderSettings settings, bool useCache, Func<ModelSpec, ChatResponse, double?> cost, TimeProvider time)
    {
        ReleaseId = release.Id;
        _snapshot = release.Snapshot();
        _factory = factory;
        _settings = settings;
        _useCache = useCache;
        _cost = cost;
        _time = time;
        _tools = _snapshot.Tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, JsonSerializer.SerializeToElement(t.InputSchema))).ToList();
    }

    public string ReleaseId { get; }

    public async Task<TargetResponse> InvokeAsync(EvalCase evalCase, int trial, CancellationToken cancellationToken)
    {
        var client = _clients.GetOrAdd(trial, t => _factory.Create(_snapshot.Model, _settings, new ModelClientOptions { UseCache = _useCache, TrialIndex = t }));
        var messages = new List<ChatMessage>(evalCase.Messages.Count + 1)
        {
            new(ChatRole.System, Render(_snapshot.SystemPrompt, evalCase.Vars)),
        };
        messages.AddRange(evalCase.Messages);
        var p = _snapshot.Model.Parameters;
        var options = new ChatOptions
        {
            ModelId = _snapshot.Model.Name,
            Temperature = (float?)p.Temperature,
            MaxOutputTokens = p.MaxTokens,
            TopP = (float?)p.TopP,
            TopK = p.TopK,
            Seed = p.Seed,
            StopSequences = p.Stop?.ToList(),
            Tools = _tools.Count == 0 ? null : [.. _tools],
        };
        var started = _time.GetTimestamp();
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var latency = _time.GetElapsedTime(started).TotalMilliseconds;
        return new TargetResponse(messages, response, latency, _cost(_snapshot.Model, response));
    }

    // Interim until the providers' ReleaseConversation lands on main.
    private static string Render(string template, IReadOnlyDictionary<string, string> vars)
    {
        foreach (var (k, v) in vars)
        {
            template = template.Replace("{{" + k + "}}", v, StringComparison.Ordinal);
        }

        return template;
    }

    /// <summary>USD for a response from the manifest's <c>prices:</c> (per million tokens), or null when the model is unpriced.</summary>
    public static Func<ModelSpec, ChatResponse, double?> PriceList(IReadOnlyDictionary<string, ModelPrice> prices) => (model, response) =>
        prices.TryGetValue(model.Name, out var price) && response.Usage is { } usage
            ? (((usage.InputTokenCount ?? 0) * price.Input) + ((usage.OutputTokenCount ?? 0) * price.Output)) / 1_000_000
            : null;
}
