using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Reference-free scoring of a live response (no case): what the gateway's sampled online evals call.
/// Scorers that need a case's expectations report "not applicable" here.
/// </summary>
public static class OnlineScoring
{
    public static Task<IReadOnlyList<ScoreOutcome>> ScoreAsync(ScorerSet scorers, IReadOnlyList<ChatMessage> request, string responseText,
        double latencyMs, double? costUsd, IReadOnlyList<FunctionCallContent> toolCalls, CancellationToken cancellationToken)
    {
        var message = new ChatMessage(ChatRole.Assistant, [new TextContent(responseText), .. toolCalls]);
        return scorers.ScoreAsync(request, new ChatResponse(message), null, latencyMs, costUsd, cancellationToken);
    }

    /// <summary>The share of applicable scorers that passed (1 when none applied, null on any scorer error).</summary>
    public static double? PassRate(IReadOnlyList<ScoreOutcome> outcomes) => CaseScore.Combine(outcomes) switch
    {
        { Status: TrialStatus.Error } => null,
        { Status: TrialStatus.Pass } => 1,
        _ => 0,
    };
}
