using Glidepath.Evals.Datasets;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>What a built-in scorer looks at: the response, its tool calls, timings and (offline) the case.</summary>
public sealed record ScorerInput
{
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public required string ResponseText { get; init; }
    public required IReadOnlyList<FunctionCallContent> ToolCalls { get; init; }
    public EvalCase? Case { get; init; }

    /// <summary>Which trial of <see cref="Case"/> the response is; 0 online.</summary>
    public int Trial { get; init; }
    public double? LatencyMs { get; init; }
    public double? CostUsd { get; init; }
    public bool HasCostContext { get; init; }
}
