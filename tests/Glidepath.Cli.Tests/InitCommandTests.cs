using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

public sealed class InitCommandTests
{
    [Fact]
    public async Task Init_EmptyFolder_CopiesSampleThatValidates()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("init", target);
        var create = await CliRunner.RunAsync("release", "create", "--manifest", target);

        Assert.Equal(0, init.ExitCode);
        Assert.True(File.Exists(Path.Combine(target, "evals", "support.jsonl")));
        Assert.Equal(0, create.ExitCode);
    }

    // Newcomer trial L4: 'glidepath init helpdesk-bot' wrote app: support-agent, so the new team's gateway answered as
    // support-agent. The app is named after its folder; the release registered from it is that app's.
    [Fact]
    public async Task Init_FolderName_IsTheAppsName()
    {
        using var dir = new TempDir();
        var target = dir.File("helpdesk-bot");

        var init = await CliRunner.RunAsync("init", target, "--format", "json");
        var create = await CliRunner.RunAsync("release", "create", "--manifest", target);

        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Equal("helpdesk-bot", JsonDocument.Parse(init.Stdout).RootElement.GetProperty("app").GetString());
        var yaml = File.ReadAllText(Path.Combine(target, "glidepath.yaml"));
        Assert.Contains("\napp: helpdesk-bot\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("support-agent", yaml, StringComparison.Ordinal);
        Assert.True(create.ExitCode == 0, create.Stderr);
        Assert.Equal("helpdesk-bot", Glidepath.Manifests.ManifestParser.Load(Path.Combine(target, "glidepath.yaml")).App);
    }

    [Fact]
    public async Task Init_AppOption_NamesTheAppWhateverTheFolder()
    {
        using var dir = new TempDir();
        var target = dir.File("Helpdesk Bot");

        var init = await CliRunner.RunAsync("init", target, "--app", "helpdesk");

        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Contains("Created the app 'helpdesk'", init.Stdout, StringComparison.Ordinal);
        Assert.Contains("\napp: helpdesk\n", File.ReadAllText(Path.Combine(target, "glidepath.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_FolderNameNotAValidAppName_Exit2SuggestingAnAppOptionAndWritesNothing()
    {
        using var dir = new TempDir();
        var target = dir.File("Helpdesk Bot");

        var init = await CliRunner.RunAsync("init", target);

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("the folder's name 'Helpdesk Bot' is not a valid app name", init.Stderr, StringComparison.Ordinal);
        Assert.Contains("--app helpdesk-bot", init.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
    }

    [Fact]
    public async Task Init_InvalidAppOption_Exit2()
    {
        using var dir = new TempDir();

        var init = await CliRunner.RunAsync("init", dir.File("agent"), "--app", "Support Agent");

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("--app 'Support Agent' is not a valid app name; expected lower-case letters", init.Stderr, StringComparison.Ordinal);
        Assert.Contains("e.g. --app support-agent", init.Stderr, StringComparison.Ordinal);
    }

    // docs/shadow.md's pairwise example names evals/pairwise.md; the scoring rubric (evals/rubric.md) asks for JSON,
    // which made every pair fail closed.
    [Fact]
    public async Task Init_EmptyFolder_WritesAPairwiseRubricThatAsksForNoOtherReplyFormat()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("init", target);

        Assert.Equal(0, init.ExitCode);
        var rubric = await File.ReadAllTextAsync(Path.Combine(target, "evals", "pairwise.md"));
        Assert.Contains("tie", rubric, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON", rubric, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("score", rubric, StringComparison.OrdinalIgnoreCase);
    }

    // Nothing can be created under /proc, not even by root: the error says where and what to do, not only .NET's words.
    [Fact]
    public async Task Init_AFolderThatCannotBeWritten_Exit3NamingIt()
    {
        var target = "/proc/glidepath-init-" + Guid.NewGuid().ToString("N")[..8];

        var init = await CliRunner.RunAsync("init", target);

        Assert.Equal(3, init.ExitCode);
        Assert.StartsWith($"error: cannot write the sample into {target} (", init.Stderr, StringComparison.Ordinal);
        Assert.Contains("choose a folder you can write to", init.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_EmptyFolder_WritesGitignoreThatKeepsTheStoreOutOfGit()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("init", target);

        Assert.Equal(0, init.ExitCode);
        Assert.Contains(".glidepath/", File.ReadAllLines(Path.Combine(target, ".gitignore")));
    }

    // docs/concepts.md runs 'glidepath gate … --report gate.md' in the app folder: the untracked report made the next
    // registration dirty, and the checklist's "versioned" row needs a clean one.
    [Fact]
    public async Task Init_ThenGateReportsInTheAppFolder_NextReleaseIsClean()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");
        Assert.Equal(0, (await CliRunner.RunAsync("init", target)).ExitCode);
        TestGit.Run(target, "init", "-q");
        TestGit.Run(target, "add", "-A");
        TestGit.Run(target, "commit", "-qm", "sample");
        foreach (var report in new[] { "gate.md", "gate.xml", "gate.junit", "gate.json", "gate.html" })
        {
            File.WriteAllText(Path.Combine(target, report), "report");
        }

        var r = await CliRunner.RunAsync("release", "create", "--manifest", target, "--format", "json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.False(JsonDocument.Parse(r.Stdout).RootElement.GetProperty("release").GetProperty("dirty").GetBoolean());
    }

    [Fact]
    public async Task Init_FolderWithAGitignoreOfItsOwn_AppendsOnlyTheEntriesItLacks()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, ".gitignore"), "bin/\n/.glidepath\ngate.md");

        Assert.Equal(0, (await CliRunner.RunAsync("init", target)).ExitCode);

        Assert.Equal(["bin/", "/.glidepath", "gate.md", "gate.xml", "gate.junit", "gate.json", "gate.html"], File.ReadAllLines(Path.Combine(target, ".gitignore")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Init_EmptyFolderName_Exit2ExpectingAFolder(string name)
    {
        var r = await CliRunner.RunAsync("init", name);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is not a folder path; expected a folder", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_FolderWithManifest_Refused()
    {
        using var dir = TempDir.WithSample();

        var r = await CliRunner.RunAsync("init", dir.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("already has a glidepath.yaml", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_FolderWithSomeOfTheSampleFiles_RefusedNamingThemAndWritesNothing()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");
        Directory.CreateDirectory(Path.Combine(target, "prompts"));
        File.WriteAllText(Path.Combine(target, "prompts", "system.md"), "mine");

        var r = await CliRunner.RunAsync("init", target);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("already has 1 of the sample's files (prompts/system.md); nothing was written", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(["prompts/system.md"], Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f).Replace('\\', '/')));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "prompts", "system.md")));
    }

    [Fact]
    public async Task Init_AFileWhereTheSampleNeedsAFolder_RefusedAndWritesNothing()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "evals"), "a file");

        var r = await CliRunner.RunAsync("init", target);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("evals/", r.Stderr, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task Init_APathThatIsAFile_RefusedAsNotAFolder()
    {
        using var dir = new TempDir();
        var target = dir.File("afile");
        File.WriteAllText(target, "x");

        var r = await CliRunner.RunAsync("init", target);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is a file; expected a folder", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_FolderWithOtherFiles_AddsTheSampleBesideThem()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "NOTES.txt"), "keep");

        var r = await CliRunner.RunAsync("init", target);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "NOTES.txt")));
        Assert.True(File.Exists(Path.Combine(target, "glidepath.yaml")));
    }

    [Fact]
    public async Task Init_FolderWhoseGitignoreIsANamedPipe_Exit2InsteadOfWaitingForAReader()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("agent"));
        dir.Fifo("agent/.gitignore");

        // A regression waits for ever in open(2): the bound turns that into a failure, no timing is measured.
        var init = await CliRunner.RunAsync("init", dir.File("agent")).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(2, init.ExitCode);
        Assert.Contains(".gitignore is a named pipe or a socket", init.Stderr, StringComparison.Ordinal);
    }
}
