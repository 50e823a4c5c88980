namespace Glidepath.Manifests;

/// <summary>Whether message content is kept on traces (<c>none</c>, <c>sampled</c>, <c>all</c>) and what is redacted.</summary>
public sealed record CaptureConfig
{
    public string Content { get; init; } = "none";
    public IReadOnlyList<string> Redact { get; init; } = [];

    public static readonly IReadOnlyList<string> ContentModes = ["none", "sampled", "all"];
    public static readonly IReadOnlyList<string> Redactors = ["email", "phone", "credit_card", "ip"];
}
