using System.Text;
using Glidepath.Evals.Datasets;
using Glidepath.Traces;

namespace Glidepath.Tests.Monitoring;

public sealed class TraceCaseTests
{
    private static readonly TraceRecord Trace = new()
    {
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        App = "support-agent",
        Environment = "production",
        ReleaseId = new string('a', 64),
        Arm = "stable",
        StartedAt = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero),
        Api = "openai",
        Status = 200,
        LatencyMs = 500,
        OverheadMs = 0.2,
        InputJson = """[{"role":"system","content":"Be brief."},{"role":"user","content":"Call me on +1 (555) 010-2030 about order 1234"},{"role":"tool","content":"x"}]""",
    };

    [Fact]
    public async Task Build_TraceWithPhoneNumber_ReaderAcceptsTheCaseWithMetadataAndTheSameInputHash()
    {
        var json = TraceCase.Build(Trace, "v3+aaaaaaaa", new Dictionary<string, string> { ["customer_tier"] = "gold" }, ["phone"], ["tomorrow"], Trace.StartedAt.AddDays(1));
        var text = TraceCase.Append("", json);

        var dataset = await DatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "x.jsonl", "x.jsonl", CancellationToken.None);

        var c = Assert.Single(dataset.Cases);
        Assert.Equal("trace-4bf92f3577b3", c.Id);
        Assert.Equal(2, c.Messages.Count);
        Assert.Equal("Call me on [phone] about order 1234", c.LastUserText);
        Assert.Equal("gold", c.Vars["customer_tier"]);
        Assert.Equal(json["metadata"]!["input_sha256"]!.GetValue<string>(), TraceCase.InputSha256(c));
        Assert.Equal([TraceCase.Tag], c.Tags);
    }

    [Fact]
    public void Append_ExistingTextWithoutFinalNewline_StartsTheCaseOnItsOwnLine()
    {
        var json = TraceCase.Build(Trace, "v3", new Dictionary<string, string>(), [], [], Trace.StartedAt);
        var text = TraceCase.Append("{\"id\":\"a\"}", json);
        Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    // The gateway stores captured JSON with only what JSON needs escaped (until 2026-12-05 every non-ASCII character and
    // markup as \uXXXX): a trace of either kind freezes into the same dataset line, which reads back the same text.
    [Fact]
    public async Task Line_InputJsonPlainOrEscaped_SameLineThatReadsBackTheText()
    {
        const string text = "你好，世界 <script>alert('x')</script> & 1+1\nПривет";
        var plain = Trace with { InputJson = """[{"role":"user","content":"你好，世界 <script>alert('x')</script> & 1+1\nПривет"}]""" };
        var escaped = Trace with { InputJson = "[{\"role\":\"user\",\"content\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}]" };
        Assert.Contains("\\u4F60", escaped.InputJson, StringComparison.Ordinal);

        var line = TraceCase.Line(TraceCase.Build(plain, "v3", new Dictionary<string, string>(), [], [], Trace.StartedAt));
        var fromEscaped = TraceCase.Line(TraceCase.Build(escaped, "v3", new Dictionary<string, string>(), [], [], Trace.StartedAt));
        var dataset = await DatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(TraceCase.Append("", TraceCase.Build(plain, "v3", new Dictionary<string, string>(), [], [], Trace.StartedAt)))), "x.jsonl", "x.jsonl", CancellationToken.None);

        Assert.Equal(line, fromEscaped);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("你好，世界 <script>alert('x')</script> & 1+1\\nПривет", line, StringComparison.Ordinal);
        Assert.Equal(text, Assert.Single(dataset.Cases).LastUserText);
    }
}
