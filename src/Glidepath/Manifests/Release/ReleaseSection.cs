using Glidepath.Files;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>release:</c> section: the model, the prompt file, tool files and other file globs.</summary>
internal static class ReleaseSection
{
    public static ReleaseSpec? Parse(YamlNodeReader r, YamlMappingNode? map, IFileSource files)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "release", ["model", "prompt", "tools", "files"]);
        var model = ModelSection.Parse(r, YamlNodeReader.Get(map, "model"), "release.model", map);
        var system = Prompt(r, map, files);
        var tools = Tools(r, YamlNodeReader.Get(map, "tools"), files);
        var globs = Files(r, YamlNodeReader.Get(map, "files"), files);
        return model is null || system is null ? null : new ReleaseSpec { Model = model, Prompt = new PromptSpec { System = system }, Tools = tools, Files = globs };
    }

    private static string? Prompt(YamlNodeReader r, YamlMappingNode map, IFileSource files)
    {
        var promptMap = r.Mapping(YamlNodeReader.Get(map, "prompt"), "release.prompt");
        if (promptMap is null && YamlNodeReader.Get(map, "prompt") is null)
        {
            r.Error(map, "missing 'prompt:' in release; expected { system: path/to/system.md }");
        }

        string? system = null;
        if (promptMap is not null)
        {
            r.CheckKeys(promptMap, "release.prompt", ["system"]);
            system = r.String(YamlNodeReader.Get(promptMap, "system"), "release.prompt.system", required: true, parent: promptMap);
            if (system is not null)
            {
                RequireReleaseFile(r, YamlNodeReader.Get(promptMap, "system"), files, system, "prompt file", "expected a path relative to the manifest");
            }
        }

        return system;
    }

    private static IReadOnlyList<string> Tools(YamlNodeReader r, YamlNode? toolsNode, IFileSource files)
    {
        var tools = r.StringList(toolsNode, "release.tools");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var itemNode = (toolsNode as YamlSequenceNode)?.Children[i] ?? toolsNode;
            if (!RequireReleaseFile(r, itemNode, files, tools[i], "tool file", "expected a JSON tool definition relative to the manifest"))
            {
                continue;
            }

            var errors = new List<ManifestError>();
            var bytes = files.ReadAllBytes(tools[i]);
            var def = ToolDefinition.TryParse(bytes, tools[i], errors);
            if (def is not null)
            {
                ToolSchemaCheck.Check(bytes, tools[i], errors);
            }

            foreach (var e in errors)
            {
                r.Add(e);
            }

            if (errors.Count > 0)
            {
                r.Error(itemNode, $"tool file '{tools[i]}' is not a valid tool definition (its problems are listed as {tools[i]}:LINE:COL); expected {{\"name\", \"description\", \"input_schema\"}}");
            }

            if (def is not null && !names.TryAdd(def.Name, tools[i]))
            {
                r.Error(itemNode, $"duplicate tool name '{def.Name}' (also in '{names[def.Name]}'); expected every tool name once");
            }
        }

        return tools;
    }

    /// <summary><see cref="YamlNodeReader.RequireFile"/> for a file that goes into the release: never one in .git or .glidepath.</summary>
    private static bool RequireReleaseFile(YamlNodeReader r, YamlNode? node, IFileSource files, string path, string what, string expected)
    {
        if (PrivateFolders.Of(path) is { } folder)
        {
            r.Error(node, $"{what} '{path}' {PrivateFolders.Refusal(folder)}; {expected}");
            return false;
        }

        return r.RequireFile(node, files, path, what, expected);
    }

    private static IReadOnlyList<string> Files(YamlNodeReader r, YamlNode? filesNode, IFileSource files)
    {
        var globs = r.StringList(filesNode, "release.files");
        for (var i = 0; i < globs.Count; i++)
        {
            var node = (filesNode as YamlSequenceNode)?.Children[i] ?? filesNode;
            if (Path.IsPathRooted(globs[i]) || globs[i].Split('/', '\\').Contains(".."))
            {
                // Checked before expanding: a glob is never matched against anything outside the app folder.
                r.Error(node, $"'{globs[i]}' reaches outside the app folder; expected a path or glob inside it, relative to the manifest (e.g. agent/**)");
            }
            else if (PrivateFolders.Of(globs[i]) is { } folder)
            {
                r.Error(node, $"'{globs[i]}' {PrivateFolders.Refusal(folder)}; expected prompts, tools and agent files (e.g. agent/**)");
            }
            else if (FileGlob.Expand(files, globs[i]).Count == 0)
            {
                r.Error(node, $"'{globs[i]}' matches no file; expected a path or glob of existing files");
            }
        }

        return globs;
    }
}
