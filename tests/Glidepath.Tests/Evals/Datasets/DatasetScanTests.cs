using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Releases;
using Glidepath.Tests.Releases;

namespace Glidepath.Tests.Evals.Datasets;

/// <summary>A dataset checked without keeping its cases, then read one case at a time by the run (issue 19: memory flat in the number of cases).</summary>
public sealed class DatasetScanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("glidepath-scan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Case(string id, string tag) => $$"""{"id":"{{id}}","input":{"messages":[{"role":"user","content":"q {{id}}"}]},"tags":["{{tag}}"]}""";

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, "cases.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task ScanAsync_Tags_CountsTheSelectedCasesWithTheSameShaAsTheWholeRead()
    {
        var path = Write(Case("a", "refunds"), Case("b", "billing"), Case("c", "refunds"));

        var scan = await DatasetScan.ScanAsync(path, "cases.jsonl", ["refunds"], CancellationToken.None);
        var read = await scan.ReadAsync(CancellationToken.None).Select(c => c.Id).ToListAsync();

        Assert.Equal(2, scan.CaseCount);
        Assert.Equal(["a", "c"], read);
        Assert.Equal((await DatasetReader.LoadAsync(path, "cases.jsonl", CancellationToken.None)).Sha256, scan.Sha256);
    }

    [Fact]
    public async Task ScanAsync_BadLines_ReportsEveryOneAsTheReaderDoes()
    {
        var path = Write(Case("a", "x"), "not json", Case("a", "x"));

        var ex = await Assert.ThrowsAsync<DatasetException>(() => DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None));

        Assert.Equal(2, ex.Problems.Count);
        Assert.StartsWith("cases.jsonl:2: not valid JSON", ex.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("cases.jsonl:3: duplicate id 'a'", ex.Problems[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"c","input":{"messages":[{"role":"user","content":"changed"}]}}""")]
    [InlineData("broken")]
    public async Task ReadAsync_FileChangedAfterTheScan_FailsAsBadInputInsteadOfRunningOtherCases(string changedLine)
    {
        var path = Write(Case("a", "x"), Case("b", "x"));
        var scan = await DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None);
        Write(Case("a", "x"), changedLine);

        var ex = await Assert.ThrowsAsync<BadInputException>(async () => await scan.ReadAsync(CancellationToken.None).ToListAsync());

        Assert.Contains("cases.jsonl changed while the run was reading it", ex.Message, StringComparison.Ordinal);
    }

    private static string VarsCase(string id, string vars) =>
        "{\"id\":\"" + id + "\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"vars\":{" + vars + "}},\"expect\":{\"contains\":[\"x\"]}}";

    // Trial author #8: a case expecting "find_ordr" failed on both sides for ever, so it could never block a gate.
    [Fact]
    public async Task ScanAsync_ToolCallNamesAToolNoReleaseDefines_ProblemAtItsLineWithTheClosest()
    {
        var path = Write(
            """{"id":"ok","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"lookup_order"}}}""",
            """{"id":"typo","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":[{"name":"lookup_ordr"},{"name":"lookup_ordr"},{"name":"escalate"}]}}""",
            """{"id":"none","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":false}}""");

        var ex = await Assert.ThrowsAsync<DatasetException>(() => DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, releases: ReleaseNames.Of(TestReleases.Sample())));

        Assert.Equal("cases.jsonl:2: case 'typo': expect.tool_call names tool 'lookup_ordr', which the release does not define "
            + "(its tools: lookup_order, issue_refund, escalate); did you mean 'lookup_order'?", Assert.Single(ex.Problems));
    }

    // Newcomer trial L4: "order_no" for "order_id" never matched a call, and the case failed at run time without a hint.
    [Fact]
    public async Task ScanAsync_ToolCallArgumentTheToolDoesNotDeclare_ProblemAtItsLineWithTheClosest()
    {
        var path = Write(
            """{"id":"ok","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"lookup_order","arguments":{"order_id":"NW-1"}}}}""",
            """{"id":"typo","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":[{"name":"issue_refund","arguments":{"order_no":"NW-1","reason":"late"}},{"name":"issue_refund","arguments":{"order_no":"NW-2"}}]}}""",
            """{"id":"tool","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"lookup_ordr","arguments":{"order_no":"NW-1"}}}}""");

        var ex = await Assert.ThrowsAsync<DatasetException>(() => DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, releases: ReleaseNames.Of(TestReleases.Sample())));

        Assert.Equal(
            [
                "cases.jsonl:2: case 'typo': expect.tool_call.arguments names 'order_no' for issue_refund, which the release's issue_refund does not declare "
                    + "(its arguments: order_id, amount, reason); did you mean 'order_id'?",
                "cases.jsonl:3: case 'tool': expect.tool_call names tool 'lookup_ordr', which the release does not define "
                    + "(its tools: lookup_order, issue_refund, escalate); did you mean 'lookup_order'?",
            ],
            ex.Problems);
    }

    // Issue 19: the scan reads and parses while the releases are still being resolved; the outcome is the same.
    [Fact]
    public async Task ScanAsync_NamesArriveLate_SameProblemsInTheSameOrderAsNamesUpFront()
    {
        var path = Write(
            """{"id":"t1","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"lookup_ordr"}}}""",
            "not json",
            """{"id":"t2","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"escalat"}}}""",
            """{"id":"t1","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"escalate"}}}""");
        var names = ReleaseNames.Of(TestReleases.Sample());

        var upFront = await Assert.ThrowsAsync<DatasetException>(() => DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, releases: names));
        var late = new TaskCompletionSource<ReleaseNames>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scan = DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, null, late.Task, null);
        late.SetResult(names);
        var afterwards = await Assert.ThrowsAsync<DatasetException>(() => scan);

        Assert.Equal(4, upFront.Problems.Count);
        Assert.Equal(upFront.Problems, afterwards.Problems);
    }

    [Fact]
    public async Task ScanAsync_NamesFail_TheScanFailsWithoutAVerdictOnTheFile()
    {
        var path = Write(Case("a", "x"));
        var names = new TaskCompletionSource<ReleaseNames>();
        names.SetCanceled();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, null, names.Task, null));
    }

    [Fact]
    public async Task ScanAsync_ToolOnlyTheGateCandidateDefines_NoProblem()
    {
        var path = Write("""{"id":"renamed","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"tool_call":{"name":"find_order"}}}""");

        var scan = await DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, releases: ReleaseNames.Of(TestReleases.WithLookupNamed("find_order"), TestReleases.Sample()));

        Assert.Equal(1, scan.CaseCount);
    }

    // Trial author #9: a typo'd var ran the case with another value, without a word. A warning per name, not per case.
    [Fact]
    public async Task ScanAsync_VarsNoTemplateUses_OneWarningPerNameWithItsCountAndFirstLine()
    {
        var path = Write(
            VarsCase("a", "\"customer_tier\":\"gold\",\"expected\":\"30 days\""),
            VarsCase("b", "\"customertier\":\"gold\",\"expected\":\"5 days\""),
            VarsCase("c", "\"expected\":\"x\""));

        var scan = await DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, releases: ReleaseNames.Of(TestReleases.Sample()));

        Assert.Equal(
            [
                "cases.jsonl:1: input.vars 'expected' (set by 3 case(s), the first on this line) is ignored: no template of the release uses it (it uses: customer_tier)",
                "cases.jsonl:2: input.vars 'customertier' (set by 1 case(s), the first on this line) is ignored: no template of the release uses it (it uses: customer_tier); did you mean 'customer_tier'?",
            ],
            scan.Warnings);
    }

    [Fact]
    public async Task ScanAsync_ManyUnusedVarNames_TenLinesThenOneForTheRest()
    {
        var vars = string.Join(",", Enumerable.Range(1, 13).Select(i => $"\"v{i:00}\":\"x\""));
        var path = Write(VarsCase("a", vars + ",\"customer_tier\":\"gold\""), VarsCase("b", vars));

        var scan = await DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, releases: ReleaseNames.Of(TestReleases.Sample()));

        Assert.Equal(11, scan.Warnings.Count);
        Assert.StartsWith("cases.jsonl:1: input.vars 'v01' (set by 2 case(s)", scan.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("cases.jsonl: 3 more input.vars name(s) no template uses are ignored ('v11', 'v12', 'v13')", scan.Warnings[^1]);
    }

    // Trial gate1000 L1: 5,000 cases each with an expect key no scorer reads said "1000 problem(s)" and listed 1,000 lines,
    // with nothing about the others.
    [Fact]
    public async Task ScanAsync_MoreProblemsThanAreListed_SaysTheTrueCountAndHowManyMoreThereAre()
    {
        var path = Write([.. Enumerable.Range(0, 1200).Select(i => $$"""{"id":"c{{i:0000}}","input":{"messages":[{"role":"user","content":"q"}]},"expect":{"reference":"r"} }""")]);

        var ex = await Assert.ThrowsAsync<DatasetException>(() => DatasetScan.ScanAsync(path, "cases.jsonl", [], CancellationToken.None, reads: new Glidepath.Evals.Scorers.ExpectReads(["contains"], EveryCase: true)));

        Assert.Equal(1000, ex.Problems.Count);
        Assert.Equal(200, ex.Unlisted);
        Assert.StartsWith("1200 problem(s) in the dataset, the first 1000 shown:\ncases.jsonl:1: case 'c0000': ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("\n… and 200 more (fix those shown and check again)", ex.Message, StringComparison.Ordinal);
    }
}
