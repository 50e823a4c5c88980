using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Manifests;

namespace Glidepath.Releases;

/// <summary>The content of a release, read back from its canonical JSON: what a gateway or eval run needs to serve it.</summary>
public sealed record ReleaseSnapshot
{
    public required ModelSpec Model { get; init; }
    public required string SystemPromptPath { get; init; }
    public required string SystemPrompt { get; init; }
    public required IReadOnlyList<string> ToolFiles { get; init; }
    public required IReadOnlyList<ToolDefinition> Tools { get; init; }

    /// <summary>Every named file (prompt, tools, other files) by relative path.</summary>
    public required IReadOnlyDictionary<string, byte[]> Files { get; init; }

    public static ReleaseSnapshot FromCanonicalJson(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var model = root["model"]!.AsObject();
        var p = model["parameters"]?.AsObject() ?? [];
        var parameters = new ModelParameters
        {
            Temperature = p["temperature"]?.GetValue<double>(),
            MaxTokens = p["max_tokens"]?.GetValue<int>(),
            TopP = p["top_p"]?.GetValue<double>(),
            TopK = p["top_k"]?.GetValue<int>(),
            Seed = p["seed"]?.GetValue<long>(),
            Stop = p["stop"]?.AsArray().Select(s => s!.GetValue<string>()).ToList(),
        };
        var options = (model["options"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, entry) in root["content"]!.AsObject())
        {
            files[path] = ContentBytes(entry!.AsObject()) ?? throw new InvalidDataException($"release content '{path}' has neither text nor base64");
        }

        var systemPath = root["prompt"]!["system"]!.GetValue<string>();
        var toolFiles = root["tools"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        var tools = new List<ToolDefinition>();
        foreach (var tf in toolFiles)
        {
            var errors = new List<ManifestError>();
            tools.Add(ToolDefinition.TryParse(files[tf], tf, errors) ?? throw new InvalidDataException($"release tool file '{tf}' is not valid: {string.Join("; ", errors)}"));
        }

        return new ReleaseSnapshot
        {
            Model = new ModelSpec
            {
                Provider = model["provider"]!.GetValue<string>(),
                Name = model["name"]!.GetValue<string>(),
                Parameters = parameters,
                Options = options,
            },
            SystemPromptPath = systemPath,
            SystemPrompt = Encoding.UTF8.GetString(files[systemPath]),
            ToolFiles = toolFiles,
            Tools = tools,
            Files = files,
        };
    }

    /// <summary>A <c>content</c> entry's bytes as <see cref="ReleaseBuilder"/> stored them: UTF-8 <c>text</c>, or <c>base64</c> (a byte-order mark, bytes that are not UTF-8); null when it has neither.</summary>
    internal static byte[]? ContentBytes(JsonObject entry) =>
        entry["text"] is JsonValue text && text.TryGetValue<string>(out var t) ? Encoding.UTF8.GetBytes(t)
        : entry["base64"] is JsonValue b && b.TryGetValue<string>(out var base64) ? Convert.FromBase64String(base64)
        : null;
}
