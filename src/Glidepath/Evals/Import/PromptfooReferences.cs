using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Evals.Import;

/// <summary>Reads promptfoo YAML under the manifest's limits and resolves its <c>file://</c> test files, defaultTest and vars.</summary>
internal static class PromptfooReferences
{
    internal static readonly string[] ScriptExtensions = [".py", ".js", ".mjs", ".cjs", ".ts"];

    /// <summary>Parses a promptfoo YAML file to JSON; invalid YAML or input over the limits is <see cref="BadInputException"/> at file:line.</summary>
    internal static JsonNode? Parse(string yaml, string file)
    {
        // The same loader as the manifest's: its limits (size, nesting depth, alias expansion) and its wording of a syntax error.
        try
        {
            var stream = YamlLoader.Load(yaml, "the suite");
            return stream.Documents.Count == 0 ? null : YamlNodeReader.ToJson(stream.Documents[0].RootNode);
        }
        catch (YamlSyntaxException ex)
        {
            throw new BadInputException(ex.Where.Line > 0 ? $"{file}:{ex.Where.Line}:{ex.Where.Column}: {ex.Message}" : $"{file}: {ex.Message}");
        }
    }

    /// <summary>The tests with each <c>file://</c> entry replaced by the tests its file holds, each with the file it came from.</summary>
    internal static List<(JsonNode? Test, PromptfooSource Source)> Expand(JsonArray tests, PromptfooSource config, PromptfooFiles files, List<string> notes)
    {
        var entries = new List<(JsonNode?, PromptfooSource)>();
        foreach (var entry in tests)
        {
            var reference = entry is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (!PromptfooFiles.IsReference(reference))
            {
                entries.Add((entry, config));
                continue;
            }

            var extension = Path.GetExtension(reference!).ToLowerInvariant();
            if (reference!.Contains('*', StringComparison.Ordinal) || extension is not (".yaml" or ".yml" or ".json"))
            {
                notes.Add($"tests: {reference} is not converted (only YAML or JSON test files without wildcards are read: write those tests as YAML, or as dataset lines)");
                continue;
            }

            var text = files.Read(reference, config);
            var name = NameOf(reference, config);
            switch (Parse(text, name))
            {
                case JsonArray list:
                    entries.AddRange(list.Select(t => (t, new PromptfooSource(name, text))));
                    break;
                case JsonObject single:
                    entries.Add((single, new PromptfooSource(name, text)));
                    break;
                default:
                    notes.Add($"tests: {reference} holds no tests; skipped");
                    break;
            }
        }

        return entries;
    }

    /// <summary>How errors name a file a <paramref name="config"/>'s reference reads: its path beside the config as given.</summary>
    internal static string NameOf(string reference, PromptfooSource config) =>
        Path.Combine(Path.GetDirectoryName(config.Name) ?? "", reference["file://".Length..]);

    /// <summary>
    /// The config's <c>defaultTest</c>: inline, or read from a <c>file://</c> YAML or JSON mapping; anything else is reported. The
    /// source is the file it was read from (the config for an inline one), so its vars' references are placed on its lines.
    /// </summary>
    internal static (JsonObject? Defaults, PromptfooSource Source) Defaults(JsonNode? node, PromptfooSource config, PromptfooFiles files, List<string> notes)
    {
        switch (node)
        {
            case null:
                return (null, config);
            case JsonObject map:
                return (map, config);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && PromptfooFiles.IsReference(v.GetValue<string>())
                && !v.GetValue<string>().Contains('*', StringComparison.Ordinal)
                && Path.GetExtension(v.GetValue<string>()).ToLowerInvariant() is ".yaml" or ".yml" or ".json":
                var reference = v.GetValue<string>();
                var source = new PromptfooSource(NameOf(reference, config), files.Read(reference, config));
                if (Parse(source.Text, source.Name) is JsonObject loaded)
                {
                    return (loaded, source);
                }

                notes.Add($"defaultTest: {reference} holds no mapping; not converted");
                return (null, config);
            default:
                notes.Add($"defaultTest: {node.ToJsonString()} is not converted (only an inline mapping or a file:// YAML or JSON file without wildcards is read)");
                return (null, config);
        }
    }

    /// <summary>A test's <c>vars</c>: inline, or read from a <c>file://</c> YAML or JSON mapping; anything else is reported.</summary>
    internal static JsonObject? VarsMap(JsonNode? vars, PromptfooSource source, PromptfooFiles files, string label, List<string> notes)
    {
        switch (vars)
        {
            case null:
                return null;
            case JsonObject map:
                return map;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && PromptfooFiles.IsReference(v.GetValue<string>())
                && Path.GetExtension(v.GetValue<string>()).ToLowerInvariant() is ".yaml" or ".yml" or ".json":
                var reference = v.GetValue<string>();
                if (Parse(files.Read(reference, source), reference) is JsonObject loaded)
                {
                    return loaded;
                }

                notes.Add($"{label}: vars {reference} holds no mapping; its vars are not converted");
                return null;
            default:
                notes.Add($"{label}: vars {vars.ToJsonString()} is not converted (expected a mapping or a file://*.yaml reference)");
                return null;
        }
    }

    /// <summary>A var's value as text: a <c>file://</c> reference is replaced by the file's text; scripts and structured values are reported.</summary>
    internal static string Var(string name, JsonNode? value, PromptfooSource source, PromptfooFiles files, string label, List<string> notes)
    {
        if (value is JsonValue jv && jv.GetValueKind() == JsonValueKind.String)
        {
            var text = jv.GetValue<string>();
            if (!PromptfooFiles.IsReference(text))
            {
                return text;
            }

            if (ScriptExtensions.Contains(Path.GetExtension(text).ToLowerInvariant()))
            {
                notes.Add($"{label}: var '{name}' runs {text}; scripts are not converted (the reference is kept as text)");
                return text;
            }

            return files.Read(text, source);
        }

        if (value is JsonArray)
        {
            notes.Add($"{label}: var '{name}' is a list (promptfoo runs one test per value); converted as one JSON text");
        }
        else if (value is JsonObject)
        {
            notes.Add($"{label}: var '{name}' is a mapping; converted as one JSON text (a template using it gets the JSON, not what promptfoo renders)");
        }

        return value?.ToJsonString() ?? "";
    }
}
