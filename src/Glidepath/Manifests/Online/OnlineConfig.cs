namespace Glidepath.Manifests;

/// <summary>Reference-free scorers run on a sample of live traffic.</summary>
public sealed record OnlineConfig
{
    public double SampleRate { get; init; }
    public IReadOnlyList<ScorerSpec> Scorers { get; init; } = [];
}
