using System.Text.Json.Nodes;

namespace Glidepath.Manifests;

/// <summary>Which model serves a release, with its sampling parameters and provider-specific options.</summary>
public sealed record ModelSpec
{
    public required string Provider { get; init; }
    public required string Name { get; init; }
    public ModelParameters Parameters { get; init; } = new();

    /// <summary>Provider-specific options (for <c>sim</c>: seed, latency, faults). Part of the release.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Options { get; init; } = new Dictionary<string, JsonNode?>();
}
