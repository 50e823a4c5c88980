using Glidepath.Manifests;
using Glidepath.Models;

namespace Glidepath.Providers.Forwarding;

/// <summary>Builds the pass-through forwarder of a release's model, sharing the model clients' connections and concurrency limits.</summary>
public interface IModelForwarderFactory
{
    /// <summary>The forwarder for <paramref name="model"/>, or null when its provider has no wire of its own to pass through (the sim).</summary>
    ModelForwarder? CreateForwarder(ModelSpec model, ProviderSettings settings, ModelClientOptions options);
}
