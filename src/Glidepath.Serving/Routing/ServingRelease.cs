using System.Diagnostics.CodeAnalysis;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Forwarding;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Routing;

/// <summary>A release ready to serve in one environment: its model client, how it applies to a request, and its price, built once per release.</summary>
internal sealed class ServingRelease
{
    private ChatMessage? _promptWithEnvironmentVars;
    private readonly Lazy<IChatClient> _client;
    private readonly Lazy<ModelForwarder?> _forwarder;

    /// <param name="client">Builds the release's model client on first use: a host that keeps its own client (the SDK's
    /// inner-client mode) never needs the release's provider, nor its key. A failed build is not cached.</param>
    /// <param name="forwarder">Builds the release's pass-through forwarder on first use; null when its provider has none.</param>
    public ServingRelease(Func<IChatClient> client, Func<ModelForwarder?>? forwarder = null)
    {
        _client = new Lazy<IChatClient>(client, LazyThreadSafetyMode.PublicationOnly);
        _forwarder = new Lazy<ModelForwarder?>(forwarder ?? (() => null), LazyThreadSafetyMode.PublicationOnly);
    }

    public required RoutedRelease Release { get; init; }

    /// <summary>The release's model client through the providers pipeline; built (and its provider settings checked) on first use.</summary>
    public IChatClient Client => _client.Value;

    /// <summary>The release's pass-through forwarder (its provider's own wire format), or null (the sim, or a factory without one).</summary>
    public ModelForwarder? Forwarder => _forwarder.Value;

    /// <summary>Applies the release to a request (the same rule evals use).</summary>
    public required ReleaseApplier Applier { get; init; }

    public ModelPrice? Price { get; init; }

    /// <summary>The header label, e.g. v7+3f9c2a1b.</summary>
    public string Label => Release.Label;

    public ModelSpec Model => Release.Snapshot.Model;

    /// <summary>
    /// The system prompt rendered with <paramref name="vars"/>, or false with the error naming a variable left unset;
    /// rendered once and reused when the request brought no vars of its own (<paramref name="environmentOnly"/>).
    /// </summary>
    /// <remarks>The message is shared by every request without vars of its own: only the release's own provider
    /// pipeline, which never changes a message, may be given it (<paramref name="shared"/>); any other client gets a copy.</remarks>
    public bool TrySystemPrompt(IReadOnlyDictionary<string, string> vars, bool environmentOnly, bool shared, [NotNullWhen(true)] out ChatMessage? prompt, [NotNullWhen(false)] out string? error)
    {
        if (environmentOnly && _promptWithEnvironmentVars is { } cached)
        {
            (prompt, error) = (shared ? cached : new ChatMessage(ChatRole.System, cached.Text), null);
            return true;
        }

        if (!Applier.TryRenderSystemPrompt(vars, out var text, out error))
        {
            prompt = null;
            return false;
        }

        prompt = new ChatMessage(ChatRole.System, text);
        if (environmentOnly)
        {
            _promptWithEnvironmentVars = shared ? prompt : new ChatMessage(ChatRole.System, text);
        }

        return true;
    }
}
