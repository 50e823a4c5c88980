using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

/// <summary>
/// Outside trial "traffic" #3: in an app set up by hand (no .gitignore), the store Glidepath itself created made
/// 'release create' warn of uncommitted changes right after a clean commit. The store's own files are no change to the app.
/// </summary>
public sealed class ReleaseStoreFilesTests
{
    [Fact]
    public async Task Create_NoGitignoreAndTheDefaultStoreBesideTheManifest_CleanAndNoWarning()
    {
        using var dir = TestGit.SampleRepo(gitignore: null);
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path)).ExitCode); // creates .glidepath/
        Assert.True(File.Exists(dir.File(".glidepath/glidepath.db")));
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nAlways greet the customer by name.\n");
        TestGit.Run(dir.Path, "commit", "-qam", "greet by name");

        var text = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path);

        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("Created v2", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("(clean)", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("uncommitted", text.Stdout + text.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_StoreFileInsideTheAppFolder_ItAndItsSqliteFilesLeftOut_AnotherNewFileStillDirty()
    {
        using var dir = TestGit.SampleRepo(gitignore: null);
        var store = dir.File("data/gp.db");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--store", store)).ExitCode);
        File.WriteAllText(store + "-wal", ""); // as an open store, or one a crash left, has beside it
        File.WriteAllText(store + "-journal", "");
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nAlways greet the customer by name.\n");
        TestGit.Run(dir.Path, "commit", "-qam", "greet by name");

        var working = await CliRunner.RunAsync("release", "show", "working", "--manifest", dir.Path, "--store", store, "--format", "json");
        var created = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--store", store);
        dir.Write("data/notes.txt", "not the store\n");
        var withNotes = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--store", store);

        Assert.True(working.ExitCode == 0, working.Stderr);
        Assert.False(Dirty(working.Stdout));
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Contains("Created v2", created.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("uncommitted", created.Stdout + created.Stderr, StringComparison.Ordinal);
        Assert.True(withNotes.ExitCode == 0, withNotes.Stderr);
        Assert.Contains("(dirty)", withNotes.Stdout, StringComparison.Ordinal);
        Assert.Contains("the work tree has uncommitted changes", withNotes.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Working_StoreOutsideTheAppFolder_TheDefaultFolderIsStillLeftOut_AFileNamedLikeTheStoreIsNot()
    {
        using var dir = TestGit.SampleRepo(gitignore: null);
        using var elsewhere = new TempDir();
        var store = Path.Combine(elsewhere.Path, "gp.db");
        dir.Write(".glidepath/glidepath.db", "left by an earlier default store");
        dir.Write("gp.db", "an app file that happens to share the store's name");

        var withFile = await CliRunner.RunAsync("release", "show", "working", "--manifest", dir.Path, "--store", store, "--format", "json");
        File.Delete(dir.File("gp.db"));
        var without = await CliRunner.RunAsync("release", "show", "working", "--manifest", dir.Path, "--store", store, "--format", "json");

        Assert.True(withFile.ExitCode == 0, withFile.Stderr);
        Assert.True(Dirty(withFile.Stdout));
        Assert.True(without.ExitCode == 0, without.Stderr);
        Assert.False(Dirty(without.Stdout));
    }

    private static bool Dirty(string stdout) =>
        JsonDocument.Parse(stdout).RootElement.GetProperty("release").GetProperty("dirty").GetBoolean();
}
