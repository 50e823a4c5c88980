using System.Text.Json.Nodes;
using Glidepath.Releases;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// The tools a case's <c>expect.tool_call</c> names, checked against the releases a run scores: a tool none of them
/// defines (a typo such as <c>find_ordr</c>) can never be called, so the case would fail on every side for good and could
/// never show a regression. Bad input at load instead (trial author #8).
/// </summary>
internal static class ExpectedTools
{
    /// <summary>One problem per distinct tool of <paramref name="c"/>'s <c>expect.tool_call</c> that no release defines.</summary>
    public static IEnumerable<string> Problems(EvalCase c, ReleaseNames releases)
    {
        // Not a collection expression: its target type would be JsonArray, and a node in the case cannot join a second parent.
        var calls = c.Expect["tool_call"] switch
        {
            JsonObject call => new JsonNode?[] { call },
            JsonArray list => [.. list],
            _ => [], // false (no tool call) or absent; other shapes were refused by ExpectationShape
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            if (call is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out var name) && seen.Add(name) && releases.UndefinedTool(name) is { } why)
            {
                yield return $"expect.tool_call names tool '{name}', {why}";
            }
        }
    }
}
