namespace Glidepath.Manifests;

/// <summary>The manifest's <c>eval:</c> section: the frozen dataset, trials, scorers and gate rule.</summary>
public sealed record EvalConfig
{
    public required string Dataset { get; init; }
    public int Trials { get; init; } = 1;
    public int? Concurrency { get; init; }
    public IReadOnlyList<ScorerSpec> Scorers { get; init; } = [];
    public GateConfig Gate { get; init; } = new();
}
