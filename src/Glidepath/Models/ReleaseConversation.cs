using System.Text.Json;
using Glidepath.Manifests;
using Glidepath.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Models;

/// <summary>
/// Applies a release to a conversation once (<see cref="ReleaseApplier"/> is the rule; this renders and applies in
/// one step): its rendered system prompt goes first, its sampling parameters and tools go into fresh
/// <see cref="ChatOptions"/> (never shared between calls).
/// </summary>
public static class ReleaseConversation
{
    /// <summary>
    /// Renders the release's system prompt with <paramref name="vars"/> (a missing var is a
    /// <see cref="Errors.BadInputException"/> naming it) and returns the messages to send with the options.
    /// The caller's own system messages, if any, follow the release's.
    /// </summary>
    public static PreparedConversation Prepare(ReleaseSnapshot snapshot, IReadOnlyDictionary<string, string> vars, IEnumerable<ChatMessage> messages)
    {
        var system = PromptTemplate.Render(snapshot.SystemPrompt, vars, snapshot.SystemPromptPath);
        var (list, options) = new ReleaseApplier(snapshot).Apply(system, [.. messages]);
        return new PreparedConversation(list, options);
    }

    /// <summary>The model's name and sampling parameters as new <see cref="ChatOptions"/>.</summary>
    public static ChatOptions ToChatOptions(ModelSpec model)
    {
        var p = model.Parameters;
        var options = new ChatOptions
        {
            ModelId = model.Name,
            Temperature = p.Temperature is { } t ? (float)t : null,
            MaxOutputTokens = p.MaxTokens,
            TopP = p.TopP is { } tp ? (float)tp : null,
            TopK = p.TopK,
            Seed = p.Seed,
        };
        if (p.Stop is { Count: > 0 } stop)
        {
            options.StopSequences = [.. stop];
        }

        return options;
    }

    /// <summary>A tool definition as a declaration the model may call (it has no implementation here).</summary>
    public static AIFunctionDeclaration ToAITool(ToolDefinition tool)
    {
        using var doc = JsonDocument.Parse(tool.InputSchema.ToJsonString());
        return AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, doc.RootElement.Clone());
    }
}
