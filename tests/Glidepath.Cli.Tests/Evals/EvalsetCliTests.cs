namespace Glidepath.Cli.Tests.Evals;

public sealed class EvalsetCliTests
{
    [Fact]
    public async Task ImportPromptfoo_WithOut_WritesTheDatasetAndReportsWhatWasNotConverted()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, """
            prompts: ["{{question}}"]
            tests:
              - description: refund window
                vars: { question: "How long do I have to return shoes for a full refund?", customer_tier: gold }
                assert: [{ type: contains, value: 30 days }, { type: python, value: "len(output) < 99" }]
            """);
        var output = Path.Combine(app.Dir, "evals", "imported.jsonl");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source, "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote 1 case(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("{ type: contains }", stdout, StringComparison.Ordinal);
        Assert.Contains("assert 'python' is not converted", stdout, StringComparison.Ordinal);

        // The imported dataset runs as it is against the sample release.
        var (runCode, runOut, runErr) = await app.RunAsync("eval", "run", "--dataset", output, "--format", "json");
        Assert.True(runCode == 0, runErr);
        Assert.Contains("\"passed\": 1", runOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPromptfoo_NothingConvertible_Exit2()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "p.yaml");
        await File.WriteAllTextAsync(source, "tests:\n  - vars: { a: '1', b: '2' }\n");
        var (code, _, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source);
        Assert.Equal(2, code);
        Assert.Contains("no test could be converted", stderr, StringComparison.Ordinal);
    }
}
