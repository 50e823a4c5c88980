using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Runs;

/// <summary>A release's answer to one case: the messages actually sent, the response, latency and cost (null when unpriced).</summary>
public sealed record TargetResponse(IReadOnlyList<ChatMessage> Request, ChatResponse Response, double LatencyMs, double? CostUsd);
