using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Releases;

/// <summary>Semantic diff of two releases: model and parameters by name, tools by schema, text as unified diffs.</summary>
public static class ReleaseDiff
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static IReadOnlyList<ReleaseChange> Compute(ReleaseSnapshot a, ReleaseSnapshot b)
    {
        var changes = new List<ReleaseChange>();
        Scalar(changes, "model", "provider", a.Model.Provider, b.Model.Provider);
        Scalar(changes, "model", "name", a.Model.Name, b.Model.Name);

        var pa = Parameters(a.Model.Parameters);
        var pb = Parameters(b.Model.Parameters);
        foreach (var key in pa.Keys.Union(pb.Keys).Order(StringComparer.Ordinal))
        {
            Scalar(changes, "parameter", key, pa.GetValueOrDefault(key), pb.GetValueOrDefault(key));
        }

        foreach (var key in a.Model.Options.Keys.Union(b.Model.Options.Keys).Order(StringComparer.Ordinal))
        {
            Scalar(changes, "option", key, Json(a.Model.Options.GetValueOrDefault(key)), Json(b.Model.Options.GetValueOrDefault(key)));
        }

        var ta = a.Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tb = b.Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var name in ta.Keys.Union(tb.Keys).Order(StringComparer.Ordinal))
        {
            var (inA, inB) = (ta.TryGetValue(name, out var x), tb.TryGetValue(name, out var y));
            if (!inA)
            {
                changes.Add(new ReleaseChange("tool_added", name, null, y!.Description, ToolText(y)));
            }
            else if (!inB)
            {
                changes.Add(new ReleaseChange("tool_removed", name, x!.Description, null, null));
            }
            else if (ToolText(x!) != ToolText(y!))
            {
                changes.Add(new ReleaseChange("tool_changed", name, null, null, LineDiff.Unified(ToolText(x!), ToolText(y!), $"a/tool {name}", $"b/tool {name}")));
            }
        }

        if (a.SystemPrompt != b.SystemPrompt || a.SystemPromptPath != b.SystemPromptPath)
        {
            changes.Add(new ReleaseChange("prompt", b.SystemPromptPath, a.SystemPromptPath, b.SystemPromptPath,
                LineDiff.Unified(a.SystemPrompt, b.SystemPrompt, "a/" + a.SystemPromptPath, "b/" + b.SystemPromptPath)));
        }

        var skip = new HashSet<string>(a.ToolFiles.Concat(b.ToolFiles).Append(a.SystemPromptPath).Append(b.SystemPromptPath), StringComparer.Ordinal);
        foreach (var path in a.Files.Keys.Union(b.Files.Keys).Where(p => !skip.Contains(p)).Order(StringComparer.Ordinal))
        {
            var (inA, inB) = (a.Files.TryGetValue(path, out var fa), b.Files.TryGetValue(path, out var fb));
            if (!inA)
            {
                changes.Add(new ReleaseChange("file_added", path, null, null, LineDiff.Unified("", Text(fb!), "/dev/null", "b/" + path)));
            }
            else if (!inB)
            {
                changes.Add(new ReleaseChange("file_removed", path, null, null, LineDiff.Unified(Text(fa!), "", "a/" + path, "/dev/null")));
            }
            else if (!fa!.AsSpan().SequenceEqual(fb))
            {
                changes.Add(new ReleaseChange("file_changed", path, null, null, LineDiff.Unified(Text(fa!), Text(fb!), "a/" + path, "b/" + path)));
            }
        }

        return changes;
    }

    private static void Scalar(List<ReleaseChange> changes, string kind, string name, string? before, string? after)
    {
        if (before != after)
        {
            changes.Add(new ReleaseChange(kind, name, before, after, null));
        }
    }

    /// <summary>The parameters a release sets, by name, as text (the ones it leaves unset are not listed): how diff and show print them.</summary>
    public static Dictionary<string, string> Parameters(Manifests.ModelParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string k, object? v)
        {
            if (v is not null)
            {
                d[k] = v is IEnumerable<string> list ? "[" + string.Join(", ", list) + "]" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!;
            }
        }

        Add("temperature", p.Temperature);
        Add("max_tokens", p.MaxTokens);
        Add("top_p", p.TopP);
        Add("top_k", p.TopK);
        Add("seed", p.Seed);
        Add("stop", p.Stop);
        return d;
    }

    private static string? Json(JsonNode? node) => node is null ? null : CanonicalJson.Serialize(node);

    private static string ToolText(Manifests.ToolDefinition t) =>
        new JsonObject { ["name"] = t.Name, ["description"] = t.Description, ["input_schema"] = t.InputSchema.DeepClone() }.ToJsonString(Pretty) + "\n";

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
