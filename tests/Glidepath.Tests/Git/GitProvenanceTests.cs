using System.Diagnostics;
using Glidepath.Git;

namespace Glidepath.Tests.Git;

/// <summary>A release's provenance from one <c>git status</c>: the HEAD commit, and whether the app's folder has changes.</summary>
public sealed class GitProvenanceTests
{
    [Fact]
    public async Task Provenance_OutsideARepoBeforeAndAfterTheFirstCommit_AndWithChanges()
    {
        using var tmp = new TempDir();
        var app = Directory.CreateDirectory(Path.Combine(tmp.Path, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "glidepath.yaml"), "app: a\n");
        Assert.Equal((null, false), await GitInfo.ProvenanceAsync(app, default));

        Git(tmp.Path, "init", "-q");
        Assert.Equal((null, false), await GitInfo.ProvenanceAsync(app, default)); // no commit yet

        Git(tmp.Path, "add", "-A");
        Git(tmp.Path, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "first");
        var head = Git(tmp.Path, "rev-parse", "HEAD");
        Assert.Equal((head, false), await GitInfo.ProvenanceAsync(app, default));

        File.WriteAllText(Path.Combine(tmp.Path, "elsewhere.txt"), "outside the app's folder\n");
        Assert.Equal((head, false), await GitInfo.ProvenanceAsync(app, default));

        File.WriteAllText(Path.Combine(app, "new.md"), "untracked\n");
        Assert.Equal((head, true), await GitInfo.ProvenanceAsync(app, default));

        File.Delete(Path.Combine(app, "new.md"));
        File.AppendAllText(Path.Combine(app, "glidepath.yaml"), "# edited\n");
        Assert.Equal((head, true), await GitInfo.ProvenanceAsync(app, default));
    }

    [Fact]
    public async Task Provenance_Excluded_TheStoresFilesLeftOutEvenInsideAnUntrackedFolder_AnythingElseStillDirty()
    {
        using var tmp = new TempDir();
        var app = tmp.Path;
        File.WriteAllText(Path.Combine(app, "glidepath.yaml"), "app: a\n");
        Git(app, "init", "-q");
        Git(app, "add", "-A");
        Git(app, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "first");
        var head = Git(app, "rev-parse", "HEAD");
        Directory.CreateDirectory(Path.Combine(app, ".glidepath"));
        File.WriteAllText(Path.Combine(app, ".glidepath", "glidepath.db"), "store");
        Directory.CreateDirectory(Path.Combine(app, "data [1]"));
        File.WriteAllText(Path.Combine(app, "data [1]", "gp.db"), "store");
        File.WriteAllText(Path.Combine(app, "data [1]", "gp.db-wal"), "wal");
        var excluded = StoreOwnFiles.Under(app, Path.Combine(app, "data [1]", "gp.db"));

        Assert.Equal((head, true), await GitInfo.ProvenanceAsync(app, default));
        Assert.Equal((head, false), await GitInfo.ProvenanceAsync(app, excluded, default));

        File.WriteAllText(Path.Combine(app, "data [1]", "gp.db.bak"), "a copy is the user's own file");
        Assert.Equal((head, true), await GitInfo.ProvenanceAsync(app, excluded, default));
    }

    [Theory]
    [InlineData("# branch.oid (initial)\n# branch.head main\n? a.txt\n", null, false)]
    [InlineData("# branch.oid 0123abcd\n# branch.head main\n", "0123abcd", false)]
    [InlineData("# branch.oid 0123abcd\n# branch.head (detached)\n1 .M N... 100644 100644 100644 aa bb f.yaml\n", "0123abcd", true)]
    public void ParseStatus_BranchHeaderAndEntries(string status, string? commit, bool dirty) =>
        Assert.Equal((commit, dirty), GitInfo.ParseStatus(status));

    [Theory]
    [InlineData(" M prompts/system.md\0?? gate.md\0", new[] { "prompts/system.md", "gate.md" })]
    [InlineData("R  new name.md\0old.md\0A  b.md\0", new[] { "new name.md", "b.md" })]
    [InlineData("", new string[0])]
    public void ParseChangedPaths_EntriesRenamesAndNothing(string status, string[] paths) =>
        Assert.Equal(paths, GitInfo.ParseChangedPaths(status));

    private static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }
}
