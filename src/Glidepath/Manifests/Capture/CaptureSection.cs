using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>capture:</c> section: whether trace content is kept, and which redactors run on it.</summary>
internal static class CaptureSection
{
    public static CaptureConfig Parse(YamlNodeReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return new CaptureConfig();
        }

        r.CheckKeys(map, "capture", ["content", "redact"]);
        var content = r.String(YamlNodeReader.Get(map, "content"), "capture.content") ?? "none";
        if (!CaptureConfig.ContentModes.Contains(content))
        {
            r.Error(YamlNodeReader.Get(map, "content"), $"capture.content '{content}' is not known; expected one of: {string.Join(", ", CaptureConfig.ContentModes)}");
        }

        var redactNode = YamlNodeReader.Get(map, "redact");
        var redact = r.StringList(redactNode, "capture.redact");
        foreach (var item in redact.Where(x => !CaptureConfig.Redactors.Contains(x)))
        {
            r.Error(redactNode, $"unknown redactor '{item}'; expected any of: {string.Join(", ", CaptureConfig.Redactors)}");
        }

        return new CaptureConfig { Content = content, Redact = redact };
    }
}
