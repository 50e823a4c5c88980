using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Tests.Releases;

public sealed class ReleaseBuilderTests
{
    private static string IdOf(TempDir dir) =>
        ReleaseBuilder.Build(ManifestParser.Load(dir.File("glidepath.yaml")).Release, new WorkingTreeFileSource(dir.Path)).Id;

    [Fact]
    public void Build_SameContent_SameId()
    {
        using var a = TempDir.WithSample();
        using var b = TempDir.WithSample();

        Assert.Equal(IdOf(a), IdOf(b));
        Assert.Matches("^[0-9a-f]{64}$", IdOf(a));
    }

    [Fact]
    public void Build_YamlReformatted_SameId()
    {
        using var dir = TempDir.WithSample();
        var before = IdOf(dir);
        // Key order, comments, quoting style, flow vs block, CRLF line endings in the YAML: none are content.
        var yaml = dir.Read("glidepath.yaml")
            .Replace("    parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }", "    # tuned for support\n    parameters:\n      seed: 7\n      max_tokens: 400\n      temperature: 0.20", StringComparison.Ordinal)
            .Replace("name: sim-support-1", "name: \"sim-support-1\"", StringComparison.Ordinal)
            .Replace("provider: sim                 # the simulated model: runs with no key and no network", "provider: 'sim'", StringComparison.Ordinal)
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        var releaseBlockMoved = yaml.Replace("app: support-agent\r\n", "", StringComparison.Ordinal) + "\r\napp: support-agent\r\n";
        dir.Write("glidepath.yaml", releaseBlockMoved);

        Assert.Equal(before, IdOf(dir));
    }

    [Fact]
    public void Build_NonReleaseSectionsChanged_SameId()
    {
        using var dir = TempDir.WithSample();
        var before = IdOf(dir);
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("sample_rate: 0.2", "sample_rate: 0.5", StringComparison.Ordinal));

        Assert.Equal(before, IdOf(dir));
    }

    [Fact]
    public void Build_OneBytePromptChange_NewId()
    {
        using var dir = TempDir.WithSample();
        var before = IdOf(dir);
        dir.Write("prompts/system.md", dir.Read("prompts/system.md").Replace("30 days", "31 days", StringComparison.Ordinal));

        Assert.NotEqual(before, IdOf(dir));
    }

    [Fact]
    public void Build_PromptLineEndingsChanged_NewId()
    {
        using var dir = TempDir.WithSample();
        var before = IdOf(dir);
        dir.Write("prompts/system.md", dir.Read("prompts/system.md").Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.NotEqual(before, IdOf(dir));
    }

    [Fact]
    public void Build_ToolSchemaOrOtherFileChanged_NewId()
    {
        using var dir = TempDir.WithSample();
        var before = IdOf(dir);
        dir.Write("tools/escalate.json", dir.Read("tools/escalate.json").Replace("\"urgent\"", "\"urgent\", \"low\"", StringComparison.Ordinal));
        var afterTool = IdOf(dir);
        dir.Write("agent/extra.md", "more context\n");

        Assert.NotEqual(before, afterTool);
        Assert.NotEqual(afterTool, IdOf(dir));
    }

    [Fact]
    public void Build_ParameterChanged_NewId()
    {
        using var dir = TempDir.WithSample();
        var before = IdOf(dir);
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("temperature: 0.2", "temperature: 0.7", StringComparison.Ordinal));

        Assert.NotEqual(before, IdOf(dir));
    }

    [Fact]
    public void Snapshot_RoundTrips_FilesByteForByte()
    {
        using var dir = TempDir.WithSample();
        dir.Write("agent/blob.bin", "\u0000\u0001binary");
        var (_, json) = ReleaseBuilder.Build(ManifestParser.Load(dir.File("glidepath.yaml")).Release, new WorkingTreeFileSource(dir.Path));

        var snap = ReleaseSnapshot.FromCanonicalJson(json);

        Assert.Equal(File.ReadAllBytes(dir.File("prompts/system.md")), snap.Files["prompts/system.md"]);
        Assert.Equal(File.ReadAllBytes(dir.File("agent/blob.bin")), snap.Files["agent/blob.bin"]);
        Assert.Equal(["lookup_order", "issue_refund", "escalate"], snap.Tools.Select(t => t.Name));
        Assert.Equal(400, snap.Model.Parameters.MaxTokens);
    }
}
