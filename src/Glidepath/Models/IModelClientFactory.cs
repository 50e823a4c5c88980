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
    /// Throws what <see cref="Create"/> would throw for every client of <paramref name="model"/> under
    /// <paramref name="settings"/> (a provider's API key variable that is not set), without building one, so a command
    /// can refuse before it stores anything. A factory with no such settings returns at once.
    /// </summary>
    void CheckSettings(ModelSpec model, ProviderSettings settings)
    {
    }

    /// <summary>
    /// Completes work the clients do off the call path (response-cache writes), so the next run finds it. The eval
    /// service calls it when a run's calls are done; a factory with no such work returns at once.
    /// </summary>
    Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
