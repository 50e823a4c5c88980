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
    /// <summary>
    /// One problem per distinct tool of <paramref name="c"/>'s <c>expect.tool_call</c> that no release defines, and one per
    /// distinct expected argument that the tool of that name declares in no release.
    /// </summary>
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
        var seenArguments = new HashSet<(string, string)>();
        foreach (var call in calls)
        {
            if (call is not JsonObject o || o["name"] is not JsonValue v || !v.TryGetValue<string>(out var name))
            {
                continue;
            }

            if (seen.Add(name) && releases.UndefinedTool(name) is { } why)
            {
                yield return $"expect.tool_call names tool '{name}', {why}";
            }

            // An argument the tool does not declare (order_no for order_id) is never in a call: the case fails on every
            // side, with "called without order_no" and no hint that the key is the mistake (newcomer L4).
            foreach (var (key, _) in o["arguments"] as JsonObject ?? new JsonObject())
            {
                if (seenArguments.Add((name, key)) && releases.UndeclaredArgument(name, key) is { } undeclared)
                {
                    yield return $"expect.tool_call.arguments names '{key}' for {name}, {undeclared}";
                }
            }
        }
    }
}
