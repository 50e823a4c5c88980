using Glidepath.Errors;
using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Tests.Files;

/// <summary>Issue 13: links are resolved to real paths; nothing outside the app folder enters a release, and cycles are exit 2.</summary>
public sealed class SymlinkPolicyTests : IDisposable
{
    private readonly TempDir _app = TempDir.WithSample();
    private readonly TempDir _outside = new();

    public SymlinkPolicyTests() => _outside.Write("secret.txt", "outside secret");

    private string Build()
    {
        var manifest = ManifestParser.Load(_app.File("glidepath.yaml"));
        return ReleaseBuilder.Build(manifest.Release, new WorkingTreeFileSource(_app.Path)).CanonicalJson;
    }

    private BadInputException Reject() => Assert.Throws<BadInputException>(() => Build());

    [Fact]
    public void Build_PromptLinkedOutside_RejectedNamingTheLink()
    {
        File.Delete(_app.File("prompts/system.md"));
        File.CreateSymbolicLink(_app.File("prompts/system.md"), _outside.File("secret.txt"));

        var ex = Reject();

        Assert.Contains("'prompts/system.md' is a symbolic link to", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside the app folder", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.BadInput, ex.Kind);
    }

    // A link inside the app folder whose target is the store or git's files: inside, but never part of a release.
    [Theory]
    [InlineData(".git/config", ".git")]
    [InlineData(".glidepath/glidepath.db", ".glidepath")]
    public void Build_PromptLinkedIntoGitOrTheStore_Rejected(string target, string folder)
    {
        _app.Write(target, "[remote \"origin\"] url = https://user:token@example.invalid/x.git");
        File.Delete(_app.File("prompts/system.md"));
        File.CreateSymbolicLink(_app.File("prompts/system.md"), _app.File(target));

        var ex = Assert.Throws<BadInputException>(() => ManifestParser.Load(_app.File("glidepath.yaml")));

        Assert.Contains($"'prompts/system.md' is a symbolic link to {Path.GetFullPath(_app.File(target))}, which is inside {folder}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FileUnderGlobLinkedOutside_Rejected()
    {
        File.CreateSymbolicLink(_app.File("agent/leak.md"), _outside.File("secret.txt"));
        Assert.Contains("'agent/leak.md' is a symbolic link to", Reject().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FolderUnderGlobLinkedOutside_RejectedNamingTheFolderLink()
    {
        Directory.CreateSymbolicLink(_app.File("agent/ext"), _outside.Path);
        Assert.Contains("'agent/ext' is a symbolic link to", Reject().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FolderLinkToAncestor_RejectedAsCycle()
    {
        Directory.CreateSymbolicLink(_app.File("agent/loop"), "..");
        Assert.Contains("'agent/loop' is a symbolic link cycle", Reject().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LinkToItself_RejectedAsCycle()
    {
        File.CreateSymbolicLink(_app.File("agent/self"), _app.File("agent/self"));
        Assert.Contains("'agent/self' is a symbolic link cycle", Reject().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LinkInsideTheApp_FollowedAndHashedAsItsTarget()
    {
        File.CreateSymbolicLink(_app.File("agent/copy.md"), Path.Combine("..", "prompts", "system.md"));
        Assert.Contains("\"agent/copy.md\"", Build(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OutsideLinkNotNamedByTheRelease_Ignored()
    {
        Directory.CreateSymbolicLink(_app.File("docs-ext"), _outside.Path);
        Assert.DoesNotContain("outside secret", Build(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _app.Dispose();
        _outside.Dispose();
    }
}
