using Glidepath.Errors;
using Glidepath.Evals.Datasets;

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
}
