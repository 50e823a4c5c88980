using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Evals.Scorers;

/// <summary>Reads typed values from a case's <c>expect</c> object (a string or a list of strings).</summary>
internal static class Expectations
{
    public static IReadOnlyList<string> Strings(JsonObject? expect, string key)
    {
        if (expect?[key] is not { } node)
        {
            return [];
        }

        return node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            JsonArray a => a.Where(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String).Select(x => x!.GetValue<string>()).ToList(),
            _ => throw new ScorerException($"expect.{key} must be a string or a list of strings"),
        };
    }

    public static string? String(JsonObject? expect, string key) =>
        expect?[key] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw new ScorerException($"expect.{key} must be a string"),
        };
}
