using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>traces:</c> section (<c>retention: 30d</c>).</summary>
internal static class TracesSection
{
    public static TracesConfig Parse(YamlNodeReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return new TracesConfig();
        }

        r.CheckKeys(map, "traces", ["retention"]);
        var node = YamlNodeReader.Get(map, "retention");
        var text = r.String(node, "traces.retention");
        if (text is null)
        {
            return new TracesConfig();
        }

        if (!DurationParser.TryParse(text, out var retention) || retention < TracesConfig.MinRetention)
        {
            r.Error(node, $"traces.retention '{text}' is not a duration of at least 1d; expected e.g. 30d");
            return new TracesConfig();
        }

        return new TracesConfig { Retention = retention };
    }
}
