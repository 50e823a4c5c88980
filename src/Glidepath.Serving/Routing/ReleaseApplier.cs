using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Applies a release to a caller's request: its rendered system prompt goes first, its model and sampling
/// parameters override the caller's, its tools come first (a caller's tool of the same name is dropped).
/// </summary>
internal static class ReleaseApplier
{
    /// <param name="systemPrompt">The release's system prompt, rendered (<see cref="ServingRelease.TrySystemPrompt"/>).</param>
    public static (List<ChatMessage> Messages, ChatOptions Options) Apply(ServingRelease serving, string systemPrompt, List<ChatMessage> messages, ChatOptions caller)
    {
        var list = new List<ChatMessage>(messages.Count + 1) { new(ChatRole.System, systemPrompt) };
        list.AddRange(messages);

        var options = ReleaseConversation.ToChatOptions(serving.Model);
        options.Temperature ??= caller.Temperature;
        options.MaxOutputTokens ??= caller.MaxOutputTokens;
        options.TopP ??= caller.TopP;
        options.TopK ??= caller.TopK;
        options.Seed ??= caller.Seed;
        options.StopSequences ??= caller.StopSequences;
        options.ToolMode = caller.ToolMode;

        if (serving.Tools.Count > 0 || caller.Tools is { Count: > 0 })
        {
            var tools = new List<AITool>(serving.Tools);
            if (caller.Tools is { } callerTools)
            {
                foreach (var tool in callerTools)
                {
                    if (!Contains(serving.Tools, tool.Name))
                    {
                        tools.Add(tool);
                    }
                }
            }

            options.Tools = tools;
        }

        return (list, options);
    }

    private static bool Contains(IReadOnlyList<AITool> tools, string name)
    {
        for (var i = 0; i < tools.Count; i++)
        {
            if (string.Equals(tools[i].Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
