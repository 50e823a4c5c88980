namespace Glidepath.Manifests;

/// <summary>The manifest's <c>eval:</c> section: the frozen dataset, trials, scorers and gate rule.</summary>
public sealed record EvalConfig
{
    public required string Dataset { get; init; }
    public int Trials { get; init; } = 1;
    public int? Concurrency { get; init; }
    public IReadOnlyList<ScorerSpec> Scorers { get; init; } = [];

    /// <summary>Where <c>eval.scorers</c> is written (the <c>eval:</c> section when it is not), as <c>file:line:col</c>; empty when unknown.</summary>
    public string ScorersLocation { get; init; } = "";
    public GateConfig Gate { get; init; } = new();
}
