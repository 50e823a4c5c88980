using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Models;

/// <summary>
/// Turns a model spec plus provider connection settings into an <see cref="IChatClient"/> pipeline
/// (provider → resilience → optional response cache → telemetry). Implemented in Glidepath.Providers.
/// </summary>
public interface IModelClientFactory
{
    IChatClient Create(ModelSpec model, ProviderSettings settings, ModelClientOptions options);

    /// <summary>
    /// Completes work the clients do off the call path (response-cache writes), so the next run finds it. The eval
    /// service calls it when a run's calls are done; a factory with no such work returns at once.
    /// </summary>
    Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
