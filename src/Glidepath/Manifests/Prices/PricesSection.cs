using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>prices:</c> section: USD per million input and output tokens, by model name.</summary>
internal static class PricesSection
{
    public static Dictionary<string, ModelPrice> Parse(YamlNodeReader r, YamlNode? node)
    {
        var result = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        if (r.Mapping(node, "prices") is not { } map)
        {
            return result;
        }

        foreach (var (model, v) in r.Entries(map, "prices"))
        {
            if (r.Mapping(v, $"prices.{model}") is not { } pm)
            {
                continue;
            }

            r.CheckKeys(pm, $"prices.{model}", ["input", "output"]);
            var input = r.Double(YamlNodeReader.Get(pm, "input"), "input", 0);
            var output = r.Double(YamlNodeReader.Get(pm, "output"), "output", 0);
            if (YamlNodeReader.Get(pm, "input") is null || YamlNodeReader.Get(pm, "output") is null)
            {
                r.Error(pm, $"prices.{model} needs both input and output; expected USD per million tokens, e.g. {{ input: 3.0, output: 15.0 }}");
            }

            result[model] = new ModelPrice(input ?? 0, output ?? 0);
        }

        return result;
    }
}
