using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Datasets;

/// <summary>One frozen eval case: the conversation to send, the template vars, and what the answer should satisfy.</summary>
public sealed record EvalCase
{
    public required string Id { get; init; }
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>The case's expectations (<c>contains</c>, <c>tool_call</c>, <c>exact</c>…), read by offline scorers.</summary>
    public JsonObject Expect { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>1-based line in the dataset file.</summary>
    public int Line { get; init; }

    /// <summary>The last user message: what a judge or a report shows as "the question".</summary>
    public string LastUserText => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
}
