using System.Text.Json.Nodes;

namespace Glidepath.Manifests;

/// <summary>A scorer by type name with its options (as JSON), e.g. <c>{ type: llm_judge, rubric: …, pass: 0.7 }</c>.</summary>
public sealed record ScorerSpec
{
    public required string Type { get; init; }
    public IReadOnlyDictionary<string, JsonNode?> Options { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>Where the scorer is declared, for error messages.</summary>
    public string Location { get; init; } = "";

    public string? GetString(string key) => Options.TryGetValue(key, out var n) && n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A numeric option, whichever JSON number type it was parsed as (8000 and 0.5 alike).</summary>
    public double? GetDouble(string key) =>
        Options.TryGetValue(key, out var n) && n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    public IReadOnlyList<string> GetStrings(string key) =>
        Options.TryGetValue(key, out var n) && n is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToList() : [];
}
