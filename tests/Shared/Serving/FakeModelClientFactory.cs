using System.Collections.Concurrent;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Testing;

/// <summary>Hands out one scripted client per model name, so a test can tell stable and canary apart.</summary>
internal sealed class FakeModelClientFactory : IModelClientFactory
{
    public ConcurrentDictionary<string, ScriptedChatClient> Clients { get; } = new(StringComparer.Ordinal);

    public ScriptedChatClient For(string model) => Clients.GetOrAdd(model, m => new ScriptedChatClient(m));

    public IChatClient Create(ModelSpec model, ProviderSettings settings, ModelClientOptions options) => For(model.Name);
}
