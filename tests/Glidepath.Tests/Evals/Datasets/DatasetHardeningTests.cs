using Glidepath.Errors;
using System.Text;
using Glidepath.Evals.Datasets;

namespace Glidepath.Tests.Evals.Datasets;

/// <summary>Issue 13: dataset lines that crashed the reader, or whose malformed expectations silently passed, are exit 2 with file:line.</summary>
public sealed class DatasetHardeningTests
{
    private const string Good = """{"id":"ok","input":{"messages":[{"role":"user","content":"hi"}]}}""";

    private static Task<EvalDataset> ReadAsync(byte[] bytes) =>
        DatasetReader.ReadAsync(new MemoryStream(bytes), "cases.jsonl", "cases.jsonl", CancellationToken.None);

    private static async Task<string> RejectAsync(string text)
    {
        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(FailureKind.BadInput, ex.Kind);
        return Assert.Single(ex.Problems);
    }

    [Fact]
    public async Task Read_MessageThatIsAString_ReportedNotCrashed()
    {
        var problem = await RejectAsync(Good + "\n" + """{"id":"b","input":{"messages":["hello"]}}""");
        Assert.StartsWith("cases.jsonl:2: input.messages[0] is not a message", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_DuplicateJsonKey_ReportedOnItsLine()
    {
        var problem = await RejectAsync(Good + "\n" + """{"id":"b","id":"c","input":{"messages":[{"role":"user","content":"hi"}]}}""");
        Assert.StartsWith("cases.jsonl:2: a key appears twice (Duplicate property 'id')", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"contains":[12345]}""", "expect.contains is [12345]; expected a non-empty string or a non-empty list of them")]
    [InlineData("""{"contains":[]}""", "expect.contains is []; expected a non-empty string or a non-empty list of them")]
    [InlineData("""{"contains":""}""", "expect.contains is \"\"; expected a non-empty string or a non-empty list of them")]
    [InlineData("""{"not_contains":["a",""]}""", "expect.not_contains is [\"a\",\"\"]; expected a non-empty string or a non-empty list of them")]
    [InlineData("""{"tool_call":[1]}""", "expect.tool_call is [1]; expected {\"name\"")]
    [InlineData("""{"tool_call":{"arguments":{}}}""", "expect.tool_call is")]
    [InlineData("""{"tool_call":true}""", "expect.tool_call is true")]
    [InlineData("""{"exact":7}""", "expect.exact is 7; expected a string")]
    [InlineData("""{"regex":"("}""", "expect.regex is \"(\"; not a valid regular expression")]
    [InlineData("""{"json":"maybe"}""", "expect.json is \"maybe\"; expected true, false or \"contains\"")]
    [InlineData("""{"json_schema":"schema.json"}""", "expect.json_schema is \"schema.json\"; expected an inline JSON schema object")]
    // Trial author D5: found only after the model was called for every case (exit 3 per trial).
    [InlineData("""{"json_schema":{"type":"objekt"}}""", "expect.json_schema is {\"type\":\"objekt\"}; not a valid JSON schema (")]
    [InlineData("""{"json_schema":{"type":"object","required":"answer"}}""", "expect.json_schema is {\"type\":\"object\",\"required\":\"answer\"}; not a valid JSON schema (")]
    public async Task Read_MalformedExpectation_FailsClosedWithLine(string expect, string message)
    {
        var problem = await RejectAsync(Good + "\n" + "{\"id\":\"b\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]},\"expect\":" + expect + "}");
        Assert.StartsWith("cases.jsonl:2: " + message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WellFormedExpectations_Accepted()
    {
        var line = """{"id":"b","input":{"messages":[{"role":"user","content":"hi"}]},"expect":{"contains":"x","icontains":["y"],"tool_call":[{"name":"t","arguments":{"a":1}}],"json":"contains","json_schema":{"type":"object"},"custom":[1]}}""";
        var dataset = await ReadAsync(Encoding.UTF8.GetBytes(line));
        Assert.Single(dataset.Cases);
    }

    [Fact]
    public async Task Read_InvalidUtf8OnLineTwo_ReportedOnLineTwo_AndLaterLinesStillChecked()
    {
        var bytes = Encoding.UTF8.GetBytes(Good + "\n").Concat(new byte[] { 0x7B, 0xFF, 0xFE, 0x7D, (byte)'\n' })
            .Concat(Encoding.UTF8.GetBytes("not json\n")).ToArray();
        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(bytes));
        Assert.Equal(["cases.jsonl:2: not valid UTF-8; expected a UTF-8 text file"], ex.Problems.Take(1));
        Assert.StartsWith("cases.jsonl:3: not valid JSON", ex.Problems[1], StringComparison.Ordinal);
    }

    // Outside trial (author #11): a UTF-16 file of 7 lines gave 7 errors ("not valid UTF-8", "not valid JSON at column 1
    // ('0x00' …)"), none of them saying what the file was or how to fix it.
    [Theory]
    [InlineData("utf-16", true, "cases.jsonl:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark)")]
    [InlineData("utf-16BE", true, "cases.jsonl:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark)")]
    [InlineData("utf-32", true, "cases.jsonl:1: the file is UTF-32 (it starts with a UTF-32 byte-order mark)")]
    [InlineData("utf-16", false, "cases.jsonl:1: a NUL byte, which a UTF-8 JSON Lines file never holds: the file is likely UTF-16 or UTF-32")]
    public async Task Read_FileSavedAsUtf16Or32_OneErrorSayingSaveItAsUtf8(string encoding, bool bom, string problem)
    {
        var text = string.Join('\n', Enumerable.Range(0, 7).Select(i => Good.Replace("\"ok\"", $"\"ok{i}\"", StringComparison.Ordinal))) + "\n";
        var codec = Encoding.GetEncoding(encoding);
        byte[] bytes = [.. bom ? codec.GetPreamble() : [], .. codec.GetBytes(text)];

        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(bytes));

        Assert.Equal([problem + "; expected a UTF-8 text file: save it as UTF-8 (the rest of the file was not read)"], ex.Problems);
    }

    // Outside trial (author #11): "content": "" was accepted and sent; providers refuse an empty message.
    [Theory]
    [InlineData("\"\"", "user")]
    [InlineData("\"  \\n \"", "user")]
    [InlineData("\"\"", "assistant")]
    public async Task Read_MessageWithoutText_RefusedOnItsLine(string content, string role)
    {
        var line = "{\"id\":\"b\",\"input\":{\"messages\":[{\"role\":\"" + role + "\",\"content\":" + content + "},{\"role\":\"user\",\"content\":\"hi\"}]}}";

        var problem = await RejectAsync(Good + "\n" + line);

        Assert.Equal($"cases.jsonl:2: input.messages[0] is an empty {role} message (\"content\": {content}); expected its text (providers refuse an empty message)", problem);
    }

    [Fact]
    public async Task Read_BomAndCrLf_Accepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Good + "\r\n" + Good.Replace("\"ok\"", "\"ok2\"", StringComparison.Ordinal) + "\r\n")).ToArray();
        var dataset = await ReadAsync(bytes);
        Assert.Equal(["ok", "ok2"], dataset.Cases.Select(c => c.Id));
    }

    [Fact]
    public async Task Read_LineOverLimit_ReportedWithoutHoldingIt()
    {
        var huge = "{\"id\":\"" + new string('x', DatasetReader.MaxLineBytes) + "\"}";
        var problem = await RejectAsync(Good + "\n" + huge + "\n");
        Assert.StartsWith("cases.jsonl:2: the line is longer than 1024 KiB", problem, StringComparison.Ordinal);
    }

    // Outside trial gate1000 L4: the read ended at an over-long line, so the bad lines after it went unreported.
    [Fact]
    public async Task Read_LineOverLimit_SkippedToItsLineBreak_LaterLinesStillChecked()
    {
        var huge = "{\"id\":\"" + new string('x', 3 * DatasetReader.MaxLineBytes) + "\"}";
        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(Encoding.UTF8.GetBytes(Good + "\n" + huge + "\n" + "{\"id\":\"b\"}\n" + Good.Replace("\"ok\"", "\"c\"", StringComparison.Ordinal) + "\n" + huge)));

        Assert.Equal(3, ex.Problems.Count);
        Assert.Equal("cases.jsonl:2: the line is longer than 1024 KiB; expected one case of at most that size a line", ex.Problems[0]);
        Assert.StartsWith("cases.jsonl:3: missing \"input\"", ex.Problems[1], StringComparison.Ordinal);
        Assert.Equal("cases.jsonl:5: the line is longer than 1024 KiB; expected one case of at most that size a line", ex.Problems[2]); // the last, without a line break
    }

    [Fact]
    public async Task Read_StreamWithoutALineBreak_StopsAtTheLimit()
    {
        // /dev/zero, or a pipe that never sends a line break: the reader stops at the limit instead of reading for ever.
        await using var zeros = new FileStream("/dev/zero", FileMode.Open, FileAccess.Read);

        var ex = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(zeros, "zero.jsonl", "zero.jsonl", CancellationToken.None));

        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith("zero.jsonl:1: the line is longer than 1024 KiB, and no line break follows within 64 MiB", problem, StringComparison.Ordinal);
        Assert.EndsWith("(the rest of the file was not read)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_NamedPipeThatNoProcessWrites_ReadsAsNoCasesInsteadOfWaitingForEver()
    {
        using var dir = new TempDir();
        var fifo = dir.Fifo("cases.jsonl");

        // A regression blocks in open(2) for ever: the bound turns that into a failure, no timing is measured.
        var loaded = await Task.Run(async () =>
        {
            try
            {
                return (await DatasetReader.LoadAsync(fifo, "cases.jsonl", CancellationToken.None)).Cases.Count;
            }
            catch (DatasetException)
            {
                return 0;
            }
        }).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, loaded);
    }

    [Fact]
    public async Task Read_DeeplyNestedLine_ReportedAsInvalidJson()
    {
        var problem = await RejectAsync(Good + "\n{\"id\":\"d\",\"metadata\":" + new string('[', 10_000) + new string(']', 10_000) + "}");
        Assert.StartsWith("cases.jsonl:2: not valid JSON", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LoneSurrogateEscape_ReportedOnItsLine()
    {
        // Found by the property suite (DatasetPropertyTests): reading the string threw InvalidOperationException.
        var problem = await RejectAsync(Good + "\n" + """{"id":"\uD800","input":{"messages":[{"role":"user","content":"hi"}]}}""");
        Assert.StartsWith("cases.jsonl:2: a string holds an escape that is not valid Unicode", problem, StringComparison.Ordinal);
    }
}
