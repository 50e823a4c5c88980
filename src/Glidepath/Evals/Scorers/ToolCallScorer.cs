using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// <c>tool_call</c>: the response calls the tool named in the case's <c>expect.tool_call</c>
/// (<c>{"name": …, "arguments": {…}}</c>, arguments compared as a subset), or a list of such calls.
/// <c>"tool_call": false</c> expects no tool call at all.
/// </summary>
public sealed class ToolCallScorer(string name) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var expect = input.Case?.Expect["tool_call"];
        if (expect is null)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var called = string.Join(", ", input.ToolCalls.Select(c => c.Name));
        if (expect is JsonValue v && v.GetValueKind() == JsonValueKind.False)
        {
            return ValueTask.FromResult<ScoreValue?>(input.ToolCalls.Count == 0 ? ScoreValue.Pass("called no tool") : ScoreValue.Fail($"called {called}; expected no tool call"));
        }

        var wanted = expect switch
        {
            JsonObject o => [o],
            JsonArray a => a.OfType<JsonObject>().ToList(),
            _ => throw new ScorerException("expect.tool_call must be {\"name\": …, \"arguments\": {…}}, a list of those, or false"),
        };
        var missing = new List<string>();
        foreach (var w in wanted)
        {
            var toolName = w["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : throw new ScorerException("expect.tool_call needs a \"name\"");
            if (!input.ToolCalls.Any(c => c.Name == toolName && ArgumentsMatch(w["arguments"] as JsonObject, c)))
            {
                missing.Add(toolName);
            }
        }

        var score = 1.0 - ((double)missing.Count / wanted.Count);
        return ValueTask.FromResult<ScoreValue?>(missing.Count == 0
            ? new ScoreValue(1, true, $"called {string.Join(", ", wanted.Select(w => w["name"]))}")
            : new ScoreValue(score, false, $"did not call {string.Join(", ", missing)} as expected; called {(called.Length == 0 ? "no tool" : called)}"));
    }

    private static bool ArgumentsMatch(JsonObject? expected, FunctionCallContent call)
    {
        if (expected is null)
        {
            return true;
        }

        var actual = JsonNode.Parse(ToolArguments.ToJson(call.Arguments)) as JsonObject ?? [];
        return expected.All(kv => actual.TryGetPropertyValue(kv.Key, out var a) && JsonNode.DeepEquals(Normalize(a), Normalize(kv.Value)));
    }

    // Tools often receive numbers as strings ("42" vs 42); compare their text.
    private static JsonNode? Normalize(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String ? JsonValue.Create(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : n;
}
