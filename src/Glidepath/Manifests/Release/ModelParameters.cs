namespace Glidepath.Manifests;

/// <summary>Sampling parameters sent with every call.</summary>
public sealed record ModelParameters
{
    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public long? Seed { get; init; }
    public IReadOnlyList<string>? Stop { get; init; }

    public static readonly IReadOnlyList<string> KnownKeys = ["temperature", "max_tokens", "top_p", "top_k", "seed", "stop"];
}
