using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// Applies a release to a caller's request: its rendered system prompt goes first, its model and sampling
/// parameters override the caller's, its tools come first (a caller's tool of the same name is dropped).
/// </summary>
internal static class ReleaseApplier
{
    public static (List<ChatMessage> Messages, ChatOptions Options) Apply(ServingRelease serving, IReadOnlyDictionary<string, string> vars, List<ChatMessage> messages, ChatOptions caller)
    {
        var snapshot = serving.Release.Snapshot;
        var system = PromptRenderer.Render(snapshot.SystemPrompt, vars, snapshot.SystemPromptPath);
        var list = new List<ChatMessage>(messages.Count + 1) { new(ChatRole.System, system) };
        list.AddRange(messages);

        var p = snapshot.Model.Parameters;
        var options = new ChatOptions
        {
            ModelId = snapshot.Model.Name,
            Temperature = p.Temperature is { } t ? (float)t : caller.Temperature,
            MaxOutputTokens = p.MaxTokens ?? caller.MaxOutputTokens,
            TopP = p.TopP is { } tp ? (float)tp : caller.TopP,
            TopK = p.TopK ?? caller.TopK,
            Seed = p.Seed ?? caller.Seed,
            StopSequences = p.Stop is { Count: > 0 } stop ? [.. stop] : caller.StopSequences,
            ToolMode = caller.ToolMode,
        };

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
