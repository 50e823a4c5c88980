using System.Text;
using Glidepath.Files;
using Glidepath.Manifests;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Tests.Manifests;

/// <summary>Runs one section's parser on a YAML snippet, as <see cref="ManifestParser"/> would on that section's node.</summary>
internal static class SectionKit
{
    public const string File = "glidepath.yaml";

    /// <summary>The result of <paramref name="parse"/> on the snippet's root mapping, and every error it reported.</summary>
    public static (T Result, IReadOnlyList<ManifestError> Errors) Read<T>(string yaml, Func<YamlNodeReader, YamlMappingNode, T> parse)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var reader = new YamlNodeReader(File);
        var result = parse(reader, (YamlMappingNode)stream.Documents[0].RootNode);
        return (result, reader.Errors);
    }

    /// <summary>A file source holding the given files (path, content).</summary>
    public static IFileSource FileSource(params (string Path, string Content)[] files) =>
        new ManifestPropertyTests.InMemoryFiles(files.ToDictionary(f => f.Path, f => Encoding.UTF8.GetBytes(f.Content), StringComparer.Ordinal));

    /// <summary>The one error whose message contains <paramref name="fragment"/>, as <c>file:line:col: message</c>.</summary>
    public static string Single(IReadOnlyList<ManifestError> errors, string fragment) =>
        Assert.Single(errors, e => e.Message.Contains(fragment, StringComparison.Ordinal)).ToString();
}
