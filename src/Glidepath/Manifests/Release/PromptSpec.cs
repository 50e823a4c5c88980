namespace Glidepath.Manifests;

/// <summary>The release's prompt: the system prompt template file (with <c>{{vars}}</c>).</summary>
public sealed record PromptSpec
{
    public required string System { get; init; }
}
