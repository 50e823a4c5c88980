using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Finish reasons between the pivot and each wire format.</summary>
internal static class FinishReasons
{
    public static string OpenAi(ChatFinishReason? reason, bool hasToolCalls)
    {
        if (reason == ChatFinishReason.ToolCalls || reason is null && hasToolCalls)
        {
            return "tool_calls";
        }

        return reason == ChatFinishReason.Length ? "length" : reason == ChatFinishReason.ContentFilter ? "content_filter" : "stop";
    }

    public static string Anthropic(ChatFinishReason? reason, bool hasToolCalls)
    {
        if (reason == ChatFinishReason.ToolCalls || reason is null && hasToolCalls)
        {
            return "tool_use";
        }

        return reason == ChatFinishReason.Length ? "max_tokens" : reason == ChatFinishReason.ContentFilter ? "refusal" : "end_turn";
    }
}
