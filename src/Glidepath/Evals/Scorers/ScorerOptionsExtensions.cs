using System.Text.Json.Nodes;

namespace Glidepath.Evals.Scorers;

internal static class ScorerOptionsExtensions
{
    public static IReadOnlyDictionary<string, JsonNode?> WithName(this Dictionary<string, JsonNode?> options, string name)
    {
        options[ScorerRegistry.NameKey] = JsonValue.Create(name);
        return options;
    }
}
