using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Release;

public sealed class ReleaseSectionTests
{
    private const string Tool = """{"name": "lookup_order", "description": "d", "input_schema": {"type": "object", "properties": {}}}""";

    private static readonly Glidepath.Files.IFileSource Sample =
        FileSource(("prompts/system.md", "You help."), ("tools/lookup.json", Tool), ("agent/a.md", "a"), ("agent/b.md", "b"));

    [Fact]
    public void Parse_ModelPromptToolsAndFiles_BuildTheSpec()
    {
        var (spec, errors) = Read("""
            model: { provider: sim, name: m1 }
            prompt: { system: prompts/system.md }
            tools: [tools/lookup.json]
            files: [agent/**]
            """, (r, m) => ReleaseSection.Parse(r, m, Sample));

        Assert.Empty(errors);
        Assert.Equal("m1", spec!.Model.Name);
        Assert.Equal("prompts/system.md", spec.Prompt.System);
        Assert.Equal(["tools/lookup.json"], spec.Tools);
        Assert.Equal(["agent/**"], spec.Files);
    }

    [Fact]
    public void Parse_NoModelAndNoPrompt_ReportsBothAtTheSectionAndBuildsNothing()
    {
        var (spec, errors) = Read("tools: []\n", (r, m) => ReleaseSection.Parse(r, m, Sample));

        Assert.Null(spec);
        Assert.Equal("glidepath.yaml:1:1: missing 'model:' in release; expected { provider, name }", Single(errors, "'model:'"));
        Assert.Equal("glidepath.yaml:1:1: missing 'prompt:' in release; expected { system: path/to/system.md }", Single(errors, "'prompt:'"));
    }

    [Fact]
    public void Parse_SameToolNameInTwoFiles_ReportedAtTheSecondFile()
    {
        var files = FileSource(("prompts/system.md", "p"), ("tools/a.json", Tool), ("tools/b.json", Tool));

        var (_, errors) = Read("""
            model: { provider: sim, name: m1 }
            prompt: { system: prompts/system.md }
            tools: [tools/a.json, tools/b.json]
            """, (r, m) => ReleaseSection.Parse(r, m, files));

        Assert.Equal("glidepath.yaml:3:23: duplicate tool name 'lookup_order' (also in 'tools/a.json'); expected every tool name once", Single(errors, "duplicate"));
    }

    [Fact]
    public void Parse_GlobMatchingNothing_ReportedAtTheGlob()
    {
        var (_, errors) = Read("""
            model: { provider: sim, name: m1 }
            prompt: { system: prompts/system.md }
            files: [agent/**, docs/**]
            """, (r, m) => ReleaseSection.Parse(r, m, Sample));

        Assert.Equal("glidepath.yaml:3:19: 'docs/**' matches no file; expected a path or glob of existing files", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("../*", "3:19")]
    [InlineData("**/../../*", "3:19")]
    [InlineData("/etc/*", "3:19")]
    public void Parse_GlobReachingOutsideTheAppFolder_ReportedAtTheGlob_NothingExpanded(string glob, string at)
    {
        var (_, errors) = Read($$"""
            model: { provider: sim, name: m1 }
            prompt: { system: prompts/system.md }
            files: [agent/**, "{{glob}}"]
            """, (r, m) => ReleaseSection.Parse(r, m, Sample));

        Assert.Equal($"glidepath.yaml:{at}: '{glob}' reaches outside the app folder; expected a path or glob inside it, relative to the manifest (e.g. agent/**)", Assert.Single(errors).ToString());
    }
}
