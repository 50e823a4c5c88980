using System.Diagnostics.CodeAnalysis;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Routing;

/// <summary>A release ready to serve in one environment: its model client, how it applies to a request, and its price, built once per release.</summary>
internal sealed class ServingRelease
{
    private string? _promptWithEnvironmentVars;

    public required RoutedRelease Release { get; init; }
    public required IChatClient Client { get; init; }

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
    public bool TrySystemPrompt(IReadOnlyDictionary<string, string> vars, bool environmentOnly, [NotNullWhen(true)] out string? prompt, [NotNullWhen(false)] out string? error)
    {
        if (environmentOnly && _promptWithEnvironmentVars is { } cached)
        {
            (prompt, error) = (cached, null);
            return true;
        }

        if (!Applier.TryRenderSystemPrompt(vars, out prompt, out error))
        {
            return false;
        }

        if (environmentOnly)
        {
            _promptWithEnvironmentVars = prompt;
        }

        return true;
    }
}
