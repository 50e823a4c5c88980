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

    // Globs skip .glidepath and .git; a path named outright must not bring the store or git's files into a release.
    [Theory]
    [InlineData("files: [.glidepath/glidepath.db]", "glidepath.yaml:3:9: '.glidepath/glidepath.db' is inside .glidepath (the store's folder), which never goes into a release; expected prompts, tools and agent files (e.g. agent/**)")]
    [InlineData("files: [.git/config]", "glidepath.yaml:3:9: '.git/config' is inside .git (git's own files), which never goes into a release; expected prompts, tools and agent files (e.g. agent/**)")]
    [InlineData("files: [agent/.GIT/**]", "glidepath.yaml:3:9: 'agent/.GIT/**' is inside .GIT (git's own files), which never goes into a release; expected prompts, tools and agent files (e.g. agent/**)")]
    [InlineData("tools: [.git/hooks/x.json]", "glidepath.yaml:3:9: tool file '.git/hooks/x.json' is inside .git (git's own files), which never goes into a release; expected a JSON tool definition relative to the manifest")]
    public void Parse_PathInsideTheStoreOrGit_RefusedAtItsLine(string line, string expected)
    {
        var files = FileSource(("prompts/system.md", "p"), (".glidepath/glidepath.db", "db"), (".git/config", "[remote]"), ("agent/.GIT/x", "x"), (".git/hooks/x.json", Tool));

        var (_, errors) = Read($$"""
            model: { provider: sim, name: m1 }
            prompt: { system: prompts/system.md }
            {{line}}
            """, (r, m) => ReleaseSection.Parse(r, m, files));

        Assert.Equal(expected, Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_PromptInsideGit_RefusedAtItsLine()
    {
        var files = FileSource((".git/config", "[remote]"));

        var (_, errors) = Read("""
            model: { provider: sim, name: m1 }
            prompt: { system: .git/config }
            """, (r, m) => ReleaseSection.Parse(r, m, files));

        Assert.Equal("glidepath.yaml:2:19: prompt file '.git/config' is inside .git (git's own files), which never goes into a release; expected a path relative to the manifest", Assert.Single(errors).ToString());
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
