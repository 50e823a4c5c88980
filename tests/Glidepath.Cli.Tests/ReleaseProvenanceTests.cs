using System.Diagnostics;
using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

/// <summary>Issue 21: provenance is recorded at every registration, not frozen at the first.</summary>
public sealed class ReleaseProvenanceTests
{
    private static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Tess Ter", "-c", "user.email=t@example.com" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        return stdout.Trim();
    }

    /// <summary>A committed sample whose prompt then gets an uncommitted edit, registered from the dirty tree as v1.</summary>
    private static async Task<TempDir> DirtyV1Async()
    {
        var dir = TempDir.WithSample();
        Git(dir.Path, "init", "-q");
        File.WriteAllText(dir.File(".gitignore"), ".glidepath/\n");
        Git(dir.Path, "add", "-A");
        Git(dir.Path, "commit", "-qm", "sample");
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nAlways greet the customer by name.\n");
        var dirty = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--format", "json");
        Assert.True(dirty.ExitCode == 0, dirty.Stderr);
        Assert.True(JsonDocument.Parse(dirty.Stdout).RootElement.GetProperty("release").GetProperty("dirty").GetBoolean());
        return dir;
    }

    [Fact]
    public async Task Create_SameContentAfterCommit_UnchangedNowAlsoAtCleanCommitKeepsMessageAndNoDirtyWarning()
    {
        using var dir = await DirtyV1Async();
        Git(dir.Path, "commit", "-qam", "greet by name");
        var head = Git(dir.Path, "rev-parse", "HEAD");

        var r = await CliRunner.RunAsync("release", "create", "-m", "committed the greeting", "--manifest", dir.Path);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"Unchanged v1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"now also recorded at commit {head[..10]} (clean)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"committed the greeting\"", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("(dirty)", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("uncommitted", r.Stdout + r.Stderr, StringComparison.Ordinal);
    }

    // From an outside trial: 'release list' showed the first registration's "(dirty)" after a clean one was recorded, so
    // the release read as unversioned although the checklist's "versioned" row passes.
    [Fact]
    public async Task List_AfterDirtyThenCleanRegistration_ShowsTheCleanCommit()
    {
        using var dir = await DirtyV1Async();
        Git(dir.Path, "commit", "-qam", "greet by name");
        var head = Git(dir.Path, "rev-parse", "HEAD");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "-m", "committed", "--manifest", dir.Path)).ExitCode);

        var list = await CliRunner.RunAsync("release", "list", "--manifest", dir.Path);

        Assert.True(list.ExitCode == 0, list.Stderr);
        var row = list.Stdout.Split('\n').Single(l => l.StartsWith("v1 ", StringComparison.Ordinal));
        Assert.Contains("committed", row, StringComparison.Ordinal);
        Assert.EndsWith($"commit {head[..10]} (clean)", row.TrimEnd(), StringComparison.Ordinal);
    }

    // Newcomer trial L7: v1 registered from a clean commit without a message (an eval run registers the working tree), then
    // 'release create -m "v1"' from the same commit. The list showed the first registration's empty message, and the later
    // record (same commit, so no "also recorded at") was visible only in 'release show'.
    [Fact]
    public async Task List_MessageGivenAtALaterRegistrationOfTheSameCommit_ShowsThatMessageInTextAndJson()
    {
        using var dir = TempDir.WithSample();
        Git(dir.Path, "init", "-q");
        File.WriteAllText(dir.File(".gitignore"), ".glidepath/\n");
        Git(dir.Path, "add", "-A");
        Git(dir.Path, "commit", "-qm", "sample");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "-m", "v1 with the refund policy", "--manifest", dir.Path)).ExitCode);

        var text = await CliRunner.RunAsync("release", "list", "--manifest", dir.Path);
        var json = await CliRunner.RunAsync("release", "list", "--manifest", dir.Path, "--format", "json");
        var show = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path);

        Assert.True(text.ExitCode == 0, text.Stderr);
        var header = text.Stdout.Split('\n').First(l => l.StartsWith("release ", StringComparison.Ordinal));
        var row = text.Stdout.Split('\n').Single(l => l.StartsWith("v1 ", StringComparison.Ordinal));
        Assert.Equal("v1 with the refund policy", row[header.IndexOf("message", StringComparison.Ordinal)..].Trim());
        var v1 = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal("v1 with the refund policy", v1.GetProperty("message").GetString());
        Assert.Contains($"commit {Git(dir.Path, "rev-parse", "HEAD")[..10]}, \"v1 with the refund policy\"", show.Stdout, StringComparison.Ordinal);
    }

    // Newcomer trial M2: v1 registered outside git, then again from a clean commit with -m "first". The text list showed the
    // later commit beside the first registration's (empty) message while the JSON said git_commit null, and 'release show'
    // headed "commit -". Both formats now show the first registration and, apart, the later clean one.
    [Fact]
    public async Task ListAndShow_FirstOutsideGitThenFromACleanCommit_TextAndJsonShowTheFirstRegistrationAndAlsoRecordedAtAlike()
    {
        using var dir = TempDir.WithSample();
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path)).ExitCode);
        Git(dir.Path, "init", "-q");
        File.WriteAllText(dir.File(".gitignore"), ".glidepath/\n");
        Git(dir.Path, "add", "-A");
        Git(dir.Path, "commit", "-qm", "sample");
        var head = Git(dir.Path, "rev-parse", "HEAD");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "-m", "first", "--manifest", dir.Path)).ExitCode);

        var text = await CliRunner.RunAsync("release", "list", "--manifest", dir.Path);
        var json = await CliRunner.RunAsync("release", "list", "--manifest", dir.Path, "--format", "json");
        var show = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path);
        var showJson = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path, "--format", "json");

        var v1 = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, v1.GetProperty("git_commit").ValueKind);
        Assert.Equal("first", v1.GetProperty("message").GetString());
        Assert.Equal(head, v1.GetProperty("also_recorded_at").GetProperty("git_commit").GetString());
        Assert.Equal("first", v1.GetProperty("also_recorded_at").GetProperty("message").GetString());
        Assert.Equal(head, JsonDocument.Parse(showJson.Stdout).RootElement.GetProperty("release").GetProperty("also_recorded_at").GetProperty("git_commit").GetString());

        var header = text.Stdout.Split('\n').First(l => l.StartsWith("release ", StringComparison.Ordinal));
        var row = text.Stdout.Split('\n').Single(l => l.StartsWith("v1 ", StringComparison.Ordinal));
        var commitColumn = row[header.IndexOf("commit", StringComparison.Ordinal)..header.IndexOf("message", StringComparison.Ordinal)].Trim();
        Assert.Equal("-", commitColumn);
        var messageColumn = row[header.IndexOf("message", StringComparison.Ordinal)..header.IndexOf("also recorded at", StringComparison.Ordinal)].Trim();
        Assert.Equal("first", messageColumn);
        Assert.EndsWith($"commit {head[..10]} (clean)", row.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("commit -", show.Stdout, StringComparison.Ordinal);
        Assert.Contains($"also recorded at commit {head[..10]} (clean) \"first\" (#2 below)", show.Stdout, StringComparison.Ordinal);
    }

    // The dirty case warned; a folder outside git (no commit at all) did not, and the checklist's "versioned" row failed later.
    [Fact]
    public async Task Create_OutsideGit_WarnsThatTheReleaseTiesToNoCommit()
    {
        using var dir = TempDir.WithSample();

        var r = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("no git commit", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: the app is not in a git repository with a commit", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Text_ListsEveryParameterTheReleaseSets()
    {
        using var dir = TempDir.WithSample();
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path)).ExitCode);

        var show = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path);

        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("temperature=0.2 max_tokens=400 seed=7", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_AfterDirtyThenCleanRegistration_ListsBothProvenanceRecordsInJsonAndText()
    {
        using var dir = await DirtyV1Async();
        Git(dir.Path, "commit", "-qam", "greet by name");
        var head = Git(dir.Path, "rev-parse", "HEAD");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "-m", "committed", "--manifest", dir.Path)).ExitCode);

        var json = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path, "--format", "json");
        var text = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path);

        var root = JsonDocument.Parse(json.Stdout).RootElement;
        var records = root.GetProperty("provenance").EnumerateArray().ToList();
        Assert.Equal(2, records.Count);
        Assert.True(records[0].GetProperty("dirty").GetBoolean());
        Assert.False(records[1].GetProperty("dirty").GetBoolean());
        Assert.Equal(head, records[1].GetProperty("git_commit").GetString());
        Assert.Equal("committed", records[1].GetProperty("message").GetString());
        Assert.True(root.GetProperty("release").GetProperty("dirty").GetBoolean());
        Assert.Contains($"#2", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"commit {head[..10]} (clean)", text.Stdout, StringComparison.Ordinal);
    }

    // Trial newcomer2 M4: an untracked gate report made every release dirty, and the warning did not say which file.
    [Fact]
    public async Task Create_DirtyTree_TheWarningNamesTheChangedFilesAndSuggestsIgnoringAReport()
    {
        using var dir = await DirtyV1Async();
        dir.Write("gate.md", "# Gate PASS\n");

        var again = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("warning: the work tree has uncommitted changes (", again.Stderr, StringComparison.Ordinal);
        var named = again.Stderr[(again.Stderr.IndexOf("changes (", StringComparison.Ordinal) + 9)..];
        named = named[..named.IndexOf(')', StringComparison.Ordinal)];
        Assert.Equal(["gate.md", "prompts/system.md"], named.Split(", ").Order(StringComparer.Ordinal));
        Assert.Contains("such as a gate report, to .gitignore", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SameProvenanceAgain_AddsNoRecord()
    {
        using var dir = await DirtyV1Async();

        var again = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path);
        var json = await CliRunner.RunAsync("release", "show", "v1", "--manifest", dir.Path, "--format", "json");

        Assert.Contains("Unchanged v1", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("uncommitted changes", again.Stderr + again.Stdout, StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("provenance").EnumerateArray());
    }

    [Fact]
    public async Task Checklist_ReleaseFirstDirtyThenRegisteredFromCleanCommit_VersionedPasses()
    {
        using var dir = await DirtyV1Async();
        var before = await CliRunner.RunAsync("checklist", "v1", "--env", "staging", "--stage", "before", "--manifest", dir.Path, "--format", "json");
        Git(dir.Path, "commit", "-qam", "greet by name");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path)).ExitCode);

        var after = await CliRunner.RunAsync("checklist", "v1", "--env", "staging", "--stage", "before", "--manifest", dir.Path, "--format", "json");

        Assert.Equal("fail", Versioned(before.Stdout).GetProperty("status").GetString());
        var row = Versioned(after.Stdout);
        Assert.Equal("pass", row.GetProperty("status").GetString());
        Assert.Contains("from clean commit " + Git(dir.Path, "rev-parse", "HEAD")[..10], row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Versioned(string stdout) =>
        JsonDocument.Parse(stdout).RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("check").GetString() == "versioned");
}
