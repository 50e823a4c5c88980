using System.Text.Json;
using System.Xml.Linq;
using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Providers;
using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Tests.Evals;

public sealed class GateCliTests
{
    private static readonly string[] RefundCases =
        ["refund-window-basic", "refund-window-shoes", "refund-window-tags", "refund-window-deadline", "refund-window-unworn", "refund-window-gift"];

    [Fact]
    public async Task GatePlan_ATagThatSelectsNoCase_Exit2LikeTheGate()
    {
        using var app = EvalApp.Create();

        var (code, stdout, stderr) = await app.RunAsync("gate", "--plan", "--tag", "nosuchtag");

        Assert.Equal(2, code);
        Assert.Contains("no case to plan for (none has the tag nosuchtag)", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    // Newcomer trial L2: in a fresh app 'glidepath gate' exited 2 (no stable release on production) but left v1 behind.
    [Fact]
    public async Task Gate_BaselineEnvironmentWithNoStableRelease_Exit2AndRegistersNoRelease()
    {
        using var app = EvalApp.Create();

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", "env:production");

        Assert.Equal(2, code);
        Assert.Contains("has no stable release yet", stderr, StringComparison.Ordinal);
        await using var store = await Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, null, CancellationToken.None);
        Assert.Empty(await store.Releases.ListAsync("support-agent", CancellationToken.None));
    }

    [Fact]
    public async Task Gate_ATagThatSelectsNoCase_Exit2AndRegistersNoRelease()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nAlways greet the customer by name.\n");

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "nosuchtag");

        Assert.Equal(2, code);
        Assert.Contains("nothing was run and no verdict was stored", stderr, StringComparison.Ordinal);
        await using var store = await Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, null, CancellationToken.None);
        Assert.Single(await store.Releases.ListAsync("support-agent", CancellationToken.None));
    }

    [Fact]
    public async Task Gate_UnchangedReleaseAgainstItself_PassesExit0()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(44, doc.RootElement.GetProperty("counts").GetProperty("cases").GetInt32());
    }

    [Fact]
    public async Task Gate_CandidateSlowerThanTheRolloutsLatencyRatio_PassesWithANoteNamingIt()
    {
        // Outside trial newcomer3 L13: a candidate whose median latency went far past rollout.metrics.latency's max_ratio
        // passed without a word, and its canary was then rolled back for latency. The sim answers in real time at
        // latency_scale 0.2 (some 60 ms and up a call) where the baseline answered at once.
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditManifest(y => y.Replace("options: { latency_scale: 0 }", "options: { latency_scale: 0.2 }", StringComparison.Ordinal));

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--concurrency", "44");

        Assert.True(code == 0, $"exit {code}: {stdout}\n{stderr}");
        Assert.Contains("Gate PASS", stdout, StringComparison.Ordinal);
        Assert.Matches(@"note: latency p50 \d+ → \d+ ms \(×[\d.]+\) over these cases is beyond rollout\.metrics\.latency max_ratio 1\.25: a canary of this release would likely be rolled back on latency", stderr);
        Assert.Contains("add a max_latency_ms scorer", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_JsonVerdict_NamesTheCorrectionAcrossCases()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--trials", "2", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var correction = doc.RootElement.GetProperty("correction");
        Assert.Equal("discrete-holm", correction.GetProperty("method").GetString());
        Assert.Equal(0.025, correction.GetProperty("family_alpha").GetDouble(), 9);
        Assert.Equal(44, correction.GetProperty("tested").GetInt32());
    }

    [Fact]
    public async Task Gate_OnlyTheTaggedCases_PrintsAPartialVerdictAndStoresNone()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "shipping", "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("only the cases tagged shipping", doc.RootElement.GetProperty("partial").GetString());
        Assert.Equal("same", doc.RootElement.GetProperty("cases")[0].GetProperty("change").GetString());
        Assert.Contains("verdict NOT stored: a passing partial gate (only the cases tagged shipping)", stderr, StringComparison.Ordinal);
        await using var store = await Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, null, CancellationToken.None);
        var releases = await store.Releases.ListAsync("support-agent", CancellationToken.None);
        Assert.Empty(await store.GateVerdicts.ListAsync("support-agent", releases[^1].Id, CancellationToken.None));
    }

    // Newcomer trial L7: the headline of a partial gate said "Gate PASS:"; only a later line said the verdict was not stored.
    [Fact]
    public async Task Gate_OnlyTheTaggedCasesText_HeadlineSaysPartialAndNotStored()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "shipping");

        Assert.True(code == 0, stderr);
        Assert.Contains("Gate PASS (partial: only the cases tagged shipping; verdict not stored): ", stdout, StringComparison.Ordinal);
    }

    // docs/eval.md's table (and its "subtle drops (100% → 80%, …)") has a 100% → 80% row that the command did not print.
    [Fact]
    public async Task Gate_Plan_PrintsEveryRowOfTheDocumentedTable()
    {
        using var app = EvalApp.Create();

        var (code, stdout, stderr) = await app.RunAsync("gate", "--plan");

        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n').Where(l => l.Contains('→', StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToArray();
        Assert.Equal(["100%→30%", "100%→50%", "100%→70%", "100%→80%", "90%→60%", "80%→50%"], rows);
    }

    [Fact]
    public async Task Gate_PlanFrom90To60_PrintsTheTrialsNeededExit0()
    {
        using var app = EvalApp.Create();
        var (code, stdout, stderr) = await app.RunAsync("gate", "--plan", "--from", "0.9", "--to", "0.6");
        Assert.True(code == 0, stderr);
        Assert.Contains("Gate plan: 44 case(s) at 95% confidence", stdout, StringComparison.Ordinal);
        Assert.Contains("90%→60%", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("gate run", stderr, StringComparison.Ordinal);
    }

    // A --report that cannot be written, or an unknown --report-format, fails before the run (exit 2): a typo must not
    // cost a whole gate run's model calls and then lose the verdict's exit code.
    [Theory]
    [InlineData("folder", null, "is a folder")]
    [InlineData("blocker/gate.md", null, "cannot write there")]
    [InlineData("gate.md", "pdf", "Argument 'pdf' not recognized")]
    public async Task Gate_ReportThatCannotBeWritten_Exit2BeforeAnyRun(string report, string? format, string expected)
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        Directory.CreateDirectory(Path.Combine(app.Dir, "folder"));
        File.WriteAllText(Path.Combine(app.Dir, "blocker"), "a file where a folder would be");
        string[] args = ["gate", "--baseline", v1, "--report", Path.Combine(app.Dir, report), .. format is null ? Array.Empty<string>() : ["--report-format", format]];

        var (code, _, stderr) = await app.RunAsync(args);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("gate run", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.Dir, "gate.md")));
    }

    [Fact]
    public async Task Gate_ReportInAFolderNotYetMade_MadeAndWrittenWhole()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var report = Path.Combine(app.Dir, "out", "ci", "gate.json");

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", v1, "--report", report);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(["gate.json"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(report)!).Select(Path.GetFileName));
    }

    // A report path that is a link is refused: a pull request's checkout could point gate.md at ~/.ssh/authorized_keys
    // and choose lines of the report (a case id). The linked file is left as it was, and nothing is written.
    [Fact]
    public async Task Gate_ReportPathIsALink_RefusedBeforeTheRun_TheLinkedFileUntouched()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        using var outside = new TempDir();
        var target = Path.Combine(outside.Path, "authorized_keys");
        File.WriteAllText(target, "ssh-ed25519 AAAA owner\n");
        var link = Path.Combine(app.Dir, "gate.md");
        File.CreateSymbolicLink(link, target);

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", v1, "--report", link);

        Assert.Equal(2, code);
        Assert.Contains($"--report '{link}': is a symbolic link (to {target})", stderr, StringComparison.Ordinal);
        Assert.Equal("ssh-ed25519 AAAA owner\n", File.ReadAllText(target));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
    }

    // A linked folder inside the current folder (the checkout) is the same attack one level up; one outside it (a
    // system's /tmp, a CI runner's temp folder) is the user's own and is used.
    [Fact]
    public void OutputFile_APathThroughALinkedFolderInTheCurrentFolder_Refused_OneOutsideUsed()
    {
        using var checkout = new TempDir();
        using var outside = new TempDir();
        Directory.CreateSymbolicLink(checkout.File("reports"), outside.Path);

        var ex = Assert.Throws<BadInputException>(() => OutputFile.Check(checkout.File("reports/ci/gate.md"), "--report", checkout.Path));
        var used = OutputFile.Check(checkout.File("reports/ci/gate.md"), "--report", outside.Path);

        Assert.Contains($"goes through reports, a symbolic link inside the checkout ({checkout.Path})", ex.Message, StringComparison.Ordinal);
        Assert.Equal(checkout.File("reports/ci/gate.md"), used.Path);
        Assert.Equal(["ci"], Directory.EnumerateFileSystemEntries(outside.Path).Select(Path.GetFileName));
    }

    // An attack trial's spellings that skipped the check: through a link above the checkout ($WORKSPACE through a
    // linked folder), and through /proc/self/root (once taken for a device because of its /proc prefix).
    [Fact]
    public void OutputFile_ALinkedFolderInTheCheckout_RefusedHoweverThePathIsSpelled()
    {
        using var outer = new TempDir();
        using var other = new TempDir();
        using var victim = new TempDir();
        var repo = Path.Combine(outer.Path, "repo");
        Directory.CreateDirectory(repo);
        Directory.CreateSymbolicLink(Path.Combine(repo, "linkdir"), victim.Path);
        var ws = Path.Combine(other.Path, "ws");
        Directory.CreateSymbolicLink(ws, outer.Path);

        var viaWorkspace = Assert.Throws<BadInputException>(() => OutputFile.Check(Path.Combine(ws, "repo", "linkdir", "authorized_keys"), "--out", repo));
        var viaProc = Assert.Throws<BadInputException>(() => OutputFile.Check("/proc/self/root" + Path.Combine(repo, "linkdir", "authorized_keys"), "--out", repo));

        Assert.Contains("goes through linkdir, a symbolic link inside the checkout", viaWorkspace.Message, StringComparison.Ordinal);
        Assert.Contains("goes through linkdir, a symbolic link inside the checkout", viaProc.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim.Path));
        Assert.Equal(Path.Combine(ws, "repo", "out.md"), OutputFile.Check(Path.Combine(ws, "repo", "out.md"), "--out", repo).Path);
    }

    // A CI step that changed into a folder the checkout made a link (cd services/api, services/api -> ~/.ssh): the
    // process's own current folder is the link's target, the shell's $PWD says how it got there.
    [Fact]
    public void OutputFile_ACurrentFolderEnteredThroughALinkInTheCheckout_Refused_AStalePwdIgnored()
    {
        using var repo = new TempDir();
        using var victim = new TempDir();
        using var elsewhere = new TempDir();
        Directory.CreateDirectory(repo.File(".git"));
        Directory.CreateDirectory(repo.File("services"));
        Directory.CreateSymbolicLink(repo.File("services/api"), victim.Path);

        var here = OutputLinks.CurrentFolder(repo.File("services/api"), victim.Path);
        var ex = Assert.Throws<BadInputException>(() => OutputFile.Check("authorized_keys", "--report", OutputLinks.Checkout(here), here));

        Assert.Equal(repo.File("services/api"), here);
        Assert.Equal(repo.Path, OutputLinks.Checkout(here));
        Assert.Contains($"goes through services/api, a symbolic link inside the checkout ({repo.Path})", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim.Path));

        // A $PWD naming another folder, a relative one or none: the process's own folder.
        Assert.Equal(victim.Path, OutputLinks.CurrentFolder(elsewhere.Path, victim.Path));
        Assert.Equal(victim.Path, OutputLinks.CurrentFolder("services/api", victim.Path));
        Assert.Equal(victim.Path, OutputLinks.CurrentFolder(null, victim.Path));

        // A $PWD through a link outside any checkout names the same folder: used, and the report is written.
        Directory.CreateSymbolicLink(elsewhere.File("w"), repo.Path);
        var spelled = OutputLinks.CurrentFolder(elsewhere.File("w"), repo.Path);
        Assert.Equal(elsewhere.File("w"), spelled);
        Assert.Equal(repo.Path, OutputLinks.Checkout(spelled));
        Assert.Equal("gate.md", OutputFile.Check("gate.md", "--report", OutputLinks.Checkout(spelled), spelled).Path);
    }

    [Theory]
    [InlineData("/dev/stdout", true)]
    [InlineData("/dev/null", true)]
    [InlineData("/dev/fd/63", true)]
    [InlineData("/proc/self/fd/1", true)]
    [InlineData("/tmp/gate.md", false)]
    [InlineData("/proc/self/cwd/gate.md", false)]
    [InlineData("/dev/shm/gate.md", false)]
    [InlineData("/home/dev/gate.md", false)]
    public void OutputFile_DevicesAndStreams_WrittenInPlace(string path, bool stream) =>
        Assert.Equal(stream && !OperatingSystem.IsWindows(), OutputFile.IsStream(path));

    [Fact]
    public async Task OutputFile_AFifoThatNobodyReads_IsCheckedWithoutWaiting_AndReplaced()
    {
        using var dir = new TempDir();
        var fifo = dir.Fifo("gate.md");

        // A regression blocks in open(2) for ever: the bound turns that into a failure, no timing is measured.
        var file = await Task.Run(() => OutputFile.Check(fifo, "--report")).WaitAsync(TimeSpan.FromMinutes(2));
        await file.WriteAsync("# gate\n", CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("# gate\n", await File.ReadAllTextAsync(fifo));
    }

    [Fact]
    public void OutputFile_AnExistingSocket_IsRefusedAndLeftInPlace()
    {
        using var dir = new TempDir();
        var path = dir.File("app.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));

        var ex = Assert.Throws<Glidepath.Errors.BadInputException>(() => OutputFile.Check(path, "--report"));

        Assert.Contains("cannot write there", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Gate_PlanFromWithoutTo_Exit2()
    {
        using var app = EvalApp.Create();
        var (code, _, stderr) = await app.RunAsync("gate", "--plan", "--from", "0.9");
        Assert.Equal(2, code);
        Assert.Contains("--from and --to go together", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_PromptLostTheRefundWindowLine_BlocksExit1NamingTheRefundCases()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));
        var report = Path.Combine(app.Dir, "gate.xml");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--report", report, "--report-format", "junit");

        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Contains("Gate BLOCKED", stdout, StringComparison.Ordinal);
        Assert.Contains(" (baseline)", stdout, StringComparison.Ordinal);
        Assert.Contains(" (candidate)", stdout, StringComparison.Ordinal);
        foreach (var id in RefundCases)
        {
            Assert.Contains($"REGRESSED {id}", stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("REGRESSED shipping", stdout, StringComparison.Ordinal);
        // A fresh store had no cached answer to reuse: no note about them (trial ciflow #6: it was said on every block).
        Assert.DoesNotContain("cached answers", stderr, StringComparison.Ordinal);
        var failures = XDocument.Load(report).Descendants("testcase").Where(t => t.Element("failure") is not null).Select(t => t.Attribute("name")!.Value).Order().ToList();
        Assert.Equal(RefundCases.Order(), failures);
    }

    [Fact]
    public async Task Gate_BlockedOnCachedAnswers_SaysHowToCheckItFresh()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));
        Assert.Equal(1, (await app.RunAsync("gate", "--baseline", v1)).Code);

        // The same gate again: every answer is replayed from the cache this first run filled.
        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", v1);

        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Contains("glidepath gate --no-cache", stderr, StringComparison.Ordinal);
        Assert.Contains("running it again with the cache replays the same answers on both sides and blocks again", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_BlockedWithNoCache_NoCachedBaselineNote()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", v1, "--no-cache");

        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.DoesNotContain("cached answers", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_WhitespaceOnlyReformatOfThePrompt_PassesExit0()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p.Replace("\n- ", "\n\n-   ", StringComparison.Ordinal).Replace(". ", ".  ", StringComparison.Ordinal) + "\n\n");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1);

        Assert.True(code == 0, $"exit {code}: {stdout}\n{stderr}");
        Assert.Contains("Gate PASS", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_BaselineEnvironmentWithoutStableReleaseNorAnyRelease_Exit2SaysThereIsNothingToGateAgainst()
    {
        using var app = EvalApp.Create();
        var (code, _, stderr) = await app.RunAsync("gate");
        Assert.Equal(2, code);
        Assert.Contains("no stable release", stderr, StringComparison.Ordinal);
        Assert.Contains("there is nothing to gate working against", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("--baseline v", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_JudgeAnswerCannotBeParsed_VerdictErrorExit3()
    {
        using var app = EvalApp.Create();
        app.EditManifest(y => y.Replace("    - { type: tool_call }         # reads expect.tool_call of each case",
            "    - { type: tool_call }\n    - { type: llm_judge, rubric: evals/rubric.md, model: { provider: sim, name: judge-1 }, pass: 0.7 }", StringComparison.Ordinal));
        app.ModelClients = (_, _) => new FakeModelClients((model, messages) => model.Name == "judge-1"
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "The answer looks quite good to me overall."))
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, "Items can be returned within 30 days of delivery.")));
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nBe brief.\n");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("error", doc.RootElement.GetProperty("verdict").GetString());
        var first = doc.RootElement.GetProperty("errors")[0].GetProperty("message").GetString();
        Assert.Contains("cannot read a score", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_ProviderKeepsAnswering500AfterRetries_VerdictErrorExit3AndStored()
    {
        using var app = EvalApp.Create();
        app.ModelClients = (manifest, store) => new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest), store.ResponseCache,
            defaults: new ModelClientDefaults { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        app.EditManifest(y => y.Replace("providers:                        # connection settings are not part of a release",
            "providers:\n  sim: { max_retries: 2 }", StringComparison.Ordinal));
        var v1 = await app.CreateReleaseAsync();
        app.EditManifest(y => y.Replace("options: { latency_scale: 0 }", "options: { latency_scale: 0, faults: { error_rate: 1.0 } }", StringComparison.Ordinal));

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1);

        Assert.True(code == 3, $"exit {code}: {stdout}\n{stderr}");
        Assert.Contains("Gate ERROR", stdout, StringComparison.Ordinal);
        Assert.Contains("500", stderr, StringComparison.Ordinal);
        await using var store = await Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, null, CancellationToken.None);
        var releases = await store.Releases.ListAsync("support-agent", CancellationToken.None);
        var verdicts = await store.GateVerdicts.ListAsync("support-agent", releases[^1].Id, CancellationToken.None);
        Assert.Equal("error", Assert.Single(verdicts).Result);
    }

    [Fact]
    public async Task Gate_ResumeAFinishedRun_DecidesAgainFromStoredResultsWithoutModelCalls()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));
        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--format", "json");
        Assert.True(code == 1, stderr);
        var runId = JsonDocument.Parse(stdout).RootElement.GetProperty("run").GetString()!;

        var calls = 0;
        app.ModelClients = (_, _) => new FakeModelClients((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "30 days"));
        });
        var (code2, stdout2, stderr2) = await app.RunAsync("gate", "--resume", runId, "--format", "json");

        Assert.True(code2 == 1, stderr2);
        Assert.Equal(0, calls);
        using var doc = JsonDocument.Parse(stdout2);
        Assert.Equal(6, doc.RootElement.GetProperty("counts").GetProperty("regressed").GetInt32());
        Assert.Contains("12 of 12 result(s) already saved", stderr2, StringComparison.Ordinal);
    }
}
