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
}
