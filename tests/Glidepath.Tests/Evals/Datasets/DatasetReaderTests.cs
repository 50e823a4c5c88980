using Glidepath.Errors;
using System.Security.Cryptography;
using System.Text;
using Glidepath.Evals.Datasets;

namespace Glidepath.Tests.Evals.Datasets;

public sealed class DatasetReaderTests
{
    private static Task<EvalDataset> ReadAsync(string text) =>
        DatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "cases.jsonl", "cases.jsonl", CancellationToken.None);

    [Fact]
    public async Task Read_ValidLines_ParsesCasesAndHashesTheFileBytes()
    {
        var text = """
            {"id":"a","input":{"messages":[{"role":"user","content":"hi"}],"vars":{"tier":"gold","n":3}},"expect":{"contains":["x"]},"tags":["t1"]}

            {"id":"b","input":{"messages":[{"role":"system","content":"s"},{"role":"user","content":"yo"}]}}
            """;
        var dataset = await ReadAsync(text);
        Assert.Equal(["a", "b"], dataset.Cases.Select(c => c.Id));
        Assert.Equal("gold", dataset.Cases[0].Vars["tier"]);
        Assert.Equal("3", dataset.Cases[0].Vars["n"]);
        Assert.Equal(3, dataset.Cases[1].Line);
        Assert.Equal("yo", dataset.Cases[1].LastUserText);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), dataset.Sha256);
    }

    // Each names the problem it is: a repeated key was "not valid JSON at column 1", a number id "missing or empty".
    [Fact]
    public async Task Read_RepeatedKeyNumberIdTrailingComma_EachNamedForWhatItIs()
    {
        var text = """
            {"id":"c","id":"d","input":{"messages":[{"role":"user","content":"hi"}]}}
            {"id":5,"input":{"messages":[{"role":"user","content":"hi"}]}}
            {"id":"x",}
            """;

        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(text));

        Assert.Contains("cases.jsonl:1: a key appears twice (Duplicate property 'id'); expected each key once in an object", ex.Problems);
        Assert.Contains("cases.jsonl:2: \"id\" is 5, not a string; expected a unique string id such as \"refund-window\"", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:3: not valid JSON at column 11 (The JSON object contains a trailing comma", StringComparison.Ordinal)
            && !p.Contains("Path:", StringComparison.Ordinal) && !p.Contains("reader options", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_SeveralBadLines_ReportsEveryOneWithFileLineAndExpectation()
    {
        var text = """
            {"id":"a","input":{"messages":[{"role":"user","content":"hi"}]}}
            {"id":"a","input":{"messages":[{"role":"user","content":"again"}]}}
            not json
            {"input":{"messages":[]}}
            {"id":"c","input":{"messages":[{"role":"robot","content":"x"}]},"expect":[],"extra":1}
            """;
        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(text));
        Assert.Equal(FailureKind.BadInput, ex.Kind);
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:2: duplicate id 'a' (first on line 1)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:3: not valid JSON", StringComparison.Ordinal) && p.Contains("expected {", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:4: missing or empty \"id\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:4: \"input.messages\" is missing or empty", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:5: unknown key 'extra'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:5: input.messages[0] is not a message", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("cases.jsonl:5: \"expect\" must be an object", StringComparison.Ordinal));
        Assert.All(ex.Problems, p => Assert.Contains("expected", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_ConversationEndingWithAssistant_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync("""{"id":"a","input":{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}}"""));
        Assert.Contains("last message must be from the user", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    // Found by a trial: "varz" ran the case with the environment's tier, and an assistant's tool_calls were dropped.
    [Fact]
    public async Task Read_UnknownKeysInInputAndMessages_AreErrorsNamingWhatIsExpected()
    {
        var text = """
            {"id":"v","input":{"messages":[{"role":"user","content":"q"}],"varz":{"tier":"gold"}}}
            {"id":"t","input":{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"checking","tool_calls":[{"name":"find_order"}]},{"role":"user","content":"q2","name":"bob","extra":1}]}}
            {"id":"r","input":{"messages":[{"role":"tool","content":"{}"},{"role":"user","content":"q"}]}}
            """;

        var ex = await Assert.ThrowsAsync<DatasetException>(() => ReadAsync(text));

        Assert.Equal(
            [
                "cases.jsonl:1: unknown key 'varz' in input; expected only messages, vars; did you mean 'vars'?",
                "cases.jsonl:2: input.messages[1].tool_calls: tool calls and tool results in a case's conversation are not supported (they would not be sent); expected only role, content (write what the tool returned into a message's content)",
                "cases.jsonl:2: unknown key 'name' in input.messages[2]; expected only role, content",
                "cases.jsonl:2: unknown key 'extra' in input.messages[2]; expected only role, content",
                "cases.jsonl:3: input.messages[0] has role 'tool': tool results in a case's conversation are not supported; expected {\"role\": \"user\" | \"assistant\" | \"system\", \"content\": \"...\"} (write what the tool returned into a message's content)",
            ],
            ex.Problems);
    }

    [Fact]
    public async Task WithTags_KeepsOnlyTaggedCases()
    {
        var dataset = await ReadAsync("""
            {"id":"a","input":{"messages":[{"role":"user","content":"q"}]},"tags":["refunds"]}
            {"id":"b","input":{"messages":[{"role":"user","content":"q"}]},"tags":["shipping"]}
            """);
        Assert.Equal(["b"], dataset.WithTags(["shipping"]).Cases.Select(c => c.Id));
        Assert.Equal(2, dataset.WithTags([]).Cases.Count);
    }

    [Fact]
    public async Task LoadAsync_SampleDataset_Has44UniqueCases()
    {
        var path = Path.Combine(RepoRoot(), "samples", "support-agent", "evals", "support.jsonl");
        var dataset = await DatasetReader.LoadAsync(path, "support.jsonl", CancellationToken.None);
        Assert.Equal(44, dataset.Cases.Count);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Glidepath.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
