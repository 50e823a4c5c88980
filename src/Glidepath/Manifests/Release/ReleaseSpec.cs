namespace Glidepath.Manifests;

/// <summary>The manifest's <c>release:</c> section: everything here, and every file it names, is hashed.</summary>
public sealed record ReleaseSpec
{
    public required ModelSpec Model { get; init; }
    public required PromptSpec Prompt { get; init; }
    public IReadOnlyList<string> Tools { get; init; } = [];
    public IReadOnlyList<string> Files { get; init; } = [];
}
