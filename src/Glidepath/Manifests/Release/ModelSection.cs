using System.Text.Json.Nodes;
using Glidepath.Models;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads a <c>model:</c> mapping (<c>release.model</c>, an <c>llm_judge</c>'s judge model) into a <see cref="ModelSpec"/>.</summary>
internal static class ModelSection
{
    public static ModelSpec? Parse(YamlNodeReader r, YamlNode? node, string where, YamlNode parent)
    {
        if (node is null)
        {
            r.Error(parent, $"missing 'model:' in {where[..where.LastIndexOf('.')]}; expected {{ provider, name }}");
            return null;
        }

        var map = r.Mapping(node, where);
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, where, ["provider", "name", "parameters", "options"]);
        var provider = r.String(YamlNodeReader.Get(map, "provider"), $"{where}.provider", required: true, parent: map);
        if (provider is not null && !ProvidersSection.Names.Contains(provider))
        {
            r.Error(YamlNodeReader.Get(map, "provider"), $"unknown provider '{provider}'; expected one of: {string.Join(", ", ProvidersSection.Names)}");
        }

        var name = r.String(YamlNodeReader.Get(map, "name"), $"{where}.name", required: true, parent: map);
        var parameters = new ModelParameters();
        if (r.Mapping(YamlNodeReader.Get(map, "parameters"), $"{where}.parameters") is { } p)
        {
            r.CheckKeys(p, $"{where}.parameters", ModelParameters.KnownKeys.ToArray());
            var stopNode = YamlNodeReader.Get(p, "stop");
            parameters = new ModelParameters
            {
                // Anthropic's Messages API takes 0-1 (a higher value is its 400 at the first call, not an error here).
                Temperature = provider == ProviderNames.Anthropic
                    ? r.Double(YamlNodeReader.Get(p, "temperature"), "temperature on anthropic", 0, 1)
                    : r.Double(YamlNodeReader.Get(p, "temperature"), "temperature", 0, 2),
                MaxTokens = r.Int(YamlNodeReader.Get(p, "max_tokens"), "max_tokens", 1, 1_000_000),
                TopP = r.Double(YamlNodeReader.Get(p, "top_p"), "top_p", 0, 1),
                TopK = r.Int(YamlNodeReader.Get(p, "top_k"), "top_k", 1, 100_000),
                Seed = r.Long(YamlNodeReader.Get(p, "seed"), "seed"),
                Stop = stopNode is YamlScalarNode ? [r.String(stopNode, "stop")!] : stopNode is null ? null : r.StringList(stopNode, "stop"),
            };
        }

        var options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (r.Mapping(YamlNodeReader.Get(map, "options"), $"{where}.options") is { } o)
        {
            foreach (var (key, value) in r.Entries(o, $"{where}.options"))
            {
                options[key] = r.Json(value, $"{where}.options.{key}");
            }
        }

        return provider is null || name is null ? null : new ModelSpec { Provider = provider, Name = name, Parameters = parameters, Options = options };
    }
}
