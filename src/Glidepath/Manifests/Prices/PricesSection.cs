using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Reads the manifest's <c>prices:</c> section: USD per million input and output tokens, by model name, and optionally
/// per million input tokens read from (<c>cache_read</c>) and written to (<c>cache_write</c>; Anthropic's 1-hour cache:
/// <c>cache_write_1h</c>) the provider's prompt cache.
/// </summary>
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

            r.CheckKeys(pm, $"prices.{model}", ["input", "output", "cache_read", "cache_write", "cache_write_1h"]);
            var input = r.Double(YamlNodeReader.Get(pm, "input"), "input", 0);
            var output = r.Double(YamlNodeReader.Get(pm, "output"), "output", 0);
            var cacheRead = r.Double(YamlNodeReader.Get(pm, "cache_read"), "cache_read", 0);
            var cacheWrite = r.Double(YamlNodeReader.Get(pm, "cache_write"), "cache_write", 0);
            var cacheWrite1h = r.Double(YamlNodeReader.Get(pm, "cache_write_1h"), "cache_write_1h", 0);
            if (YamlNodeReader.Get(pm, "input") is null || YamlNodeReader.Get(pm, "output") is null)
            {
                r.Error(pm, $"prices.{model} needs both input and output; expected USD per million tokens, e.g. {{ input: 3.0, output: 15.0 }}");
            }

            result[model] = new ModelPrice(input ?? 0, output ?? 0) { CacheRead = cacheRead, CacheWrite = cacheWrite, CacheWrite1h = cacheWrite1h };
        }

        return result;
    }
}
