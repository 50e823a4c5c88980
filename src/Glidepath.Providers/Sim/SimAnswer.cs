using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Sim;

/// <summary>What the sim decided to say: text, tool calls, token counts and why it stopped.</summary>
internal sealed record SimAnswer(string Text, IReadOnlyList<FunctionCallContent> ToolCalls, int InputTokens, int OutputTokens, ChatFinishReason FinishReason);
