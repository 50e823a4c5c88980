namespace Glidepath.Manifests;

/// <summary>The manifest's <c>shadow:</c> section: how shadow pairs are judged beyond the rollout plan's metrics.</summary>
public sealed record ShadowConfig
{
    /// <summary>A judge model that says which of the two answers is better; null: no pairwise judgement.</summary>
    public PairwiseJudgeConfig? Pairwise { get; init; }
}

/// <summary>
/// The pairwise LLM judge: <see cref="Model"/> reads <see cref="Rubric"/>, the caller's input and both answers, asked
/// once with each answer first; the candidate's win rate may fall at most <see cref="MaxDrop"/> below a tie.
/// </summary>
public sealed record PairwiseJudgeConfig
{
    public required ModelSpec Model { get; init; }

    /// <summary>The rubric file, relative to the manifest.</summary>
    public required string Rubric { get; init; }

    public double MaxDrop { get; init; } = Glidepath.Shadow.PairedJudgePolicy.DefaultPairwiseMaxDrop;
}
