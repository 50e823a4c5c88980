using System.Globalization;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>YAML to JSON: scorer and model options, and whole documents (the JSON Schema check, promptfoo suites).</summary>
internal sealed partial class YamlNodeReader
{
    /// <summary>Converts a node to JSON like <see cref="ToJson"/>, reporting keys that are not plain scalars.</summary>
    public JsonNode? Json(YamlNode node, string what) =>
        Convert(node, key => Error(key, $"a key in {what} is a {Describe(key)}; expected a plain name"));

    /// <summary>
    /// Converts a YAML node to JSON with YAML 1.2 core-schema typing of plain scalars. Expects a document
    /// checked by <see cref="YamlGuard"/> (bounded depth and size); a key that is not a plain scalar is bad input.
    /// </summary>
    public static JsonNode? ToJson(YamlNode node) =>
        Convert(node, key => throw new BadInputException($"line {key.Start.Line}, column {key.Start.Column}: a key is a {Describe(key)}; expected a plain name"));

    private static JsonNode? Convert(YamlNode node, Action<YamlNode> badKey)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode ks)
                    {
                        obj[ks.Value ?? ""] = Convert(v, badKey);
                    }
                    else
                    {
                        badKey(k);
                    }
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(Convert(item, badKey));
                }

                return arr;
            case YamlScalarNode s:
                if (s.Style != ScalarStyle.Plain)
                {
                    return JsonValue.Create(s.Value ?? "");
                }

                var v2 = s.Value ?? "";
                if (v2 is "" or "~" or "null")
                {
                    return null;
                }

                if (v2 is "true" or "false")
                {
                    return JsonValue.Create(v2 == "true");
                }

                if (long.TryParse(v2, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return JsonValue.Create(l);
                }

                if (double.TryParse(v2, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    return JsonValue.Create(d);
                }

                return JsonValue.Create(v2);
            default:
                return null;
        }
    }
}
