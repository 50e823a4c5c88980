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
        Assert.Contains("assert 'python' is not supported; not converted", stdout, StringComparison.Ordinal);

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

    [Fact]
    public async Task ImportPromptfoo_FileVarsAndTestFiles_AreReadNextToTheConfigAndJsonListsWhatWasNotConverted()
    {
        using var app = EvalApp.Create();
        var folder = Path.Combine(app.Dir, "pf");
        Directory.CreateDirectory(Path.Combine(folder, "q"));
        await File.WriteAllTextAsync(Path.Combine(folder, "q", "shoes.txt"), "How long do I have to return shoes for a full refund?");
        await File.WriteAllTextAsync(Path.Combine(folder, "more_tests.yaml"), "- vars: { question: file://q/shoes.txt }\n  assert: [{ type: contains, value: 30 days }]\n");
        var source = Path.Combine(folder, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, """
            providers: [openai:gpt-4o-mini]
            prompts: ["{{question}}"]
            tests:
              - file://more_tests.yaml
            """);

        var (code, stdout, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source, "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("cases").GetInt32());
        Assert.Contains("return shoes for a full refund", doc.RootElement.GetProperty("dataset").GetString(), StringComparison.Ordinal);
        Assert.Contains("providers: not converted", doc.RootElement.GetProperty("not_converted")[0].GetString(), StringComparison.Ordinal);
    }

    // Outside trial (LOW, common): a file:// prompt and a file:// defaultTest were only listed as not converted.
    [Fact]
    public async Task ImportPromptfoo_PromptFileAndDefaultTestFile_AreReadIntoTheWrittenDataset()
    {
        using var app = EvalApp.Create();
        var folder = Path.Combine(app.Dir, "pf");
        Directory.CreateDirectory(Path.Combine(folder, "prompts"));
        await File.WriteAllTextAsync(Path.Combine(folder, "prompts", "main.txt"), "A {{tier}} customer asks: {{question}}\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "defaults.yaml"), "vars: { tier: gold }\nassert: [{ type: not-contains, value: As an AI }]\n");
        var source = Path.Combine(folder, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, """
            prompts: [file://prompts/main.txt]
            defaultTest: file://defaults.yaml
            tests:
              - vars: { question: How long do I have to return shoes? }
                assert: [{ type: contains, value: 30 days }]
            """);
        var output = Path.Combine(app.Dir, "evals", "imported.jsonl");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source, "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Equal(
            """{"id":"test-1","input":{"messages":[{"role":"user","content":"A gold customer asks: How long do I have to return shoes?"}],"vars":{"tier":"gold","question":"How long do I have to return shoes?"}},"expect":{"not_contains":["As an AI"],"contains":["30 days"]}}""" + "\n",
            await File.ReadAllTextAsync(output));
        Assert.DoesNotContain("Not converted", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPromptfoo_MissingPromptFile_Exit2WithFileAndLine()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, "prompts:\n  - file://prompts/main.txt\ntests:\n  - vars: { question: hi }\n");

        var (code, _, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source);

        Assert.Equal(2, code);
        Assert.Contains(source + ":2: file://prompts/main.txt: no such file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPromptfoo_FileOutsideTheConfigFolder_Exit2NamingThePath()
    {
        using var app = EvalApp.Create();
        var folder = Path.Combine(app.Dir, "pf");
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, "tests:\n  - vars: { question: file://../glidepath.yaml }\n");

        var (code, _, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source);

        Assert.Equal(2, code);
        Assert.Contains("file://../glidepath.yaml is outside the config's folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPromptfoo_MissingTestFile_Exit2WithFileAndLine()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, "tests:\n  - vars: { question: hi }\n  - file://more_tests.yaml\n");

        var (code, _, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source);

        Assert.Equal(2, code);
        Assert.Contains(source + ":3: file://more_tests.yaml: no such file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPromptfoo_NoAssertionConverted_PrintsNoEmptyScorerSnippet()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, "tests:\n  - vars: { question: hi }\n    assert: [{ type: python, value: x }]\n");
        var output = Path.Combine(app.Dir, "evals", "imported.jsonl");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source, "--out", output);

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("scorers:", stdout, StringComparison.Ordinal);
        Assert.Contains("No scorers to add", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("every case passes", stdout, StringComparison.Ordinal); // trial author D6: it said so, and the run then refused
        Assert.Contains("with none, eval run and gate refuse to start (exit 2)", stdout, StringComparison.Ordinal);
        Assert.Contains("assert 'python' is not supported; not converted", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPromptfoo_OutIsAFolder_Exit2SaysSo()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, "tests:\n  - vars: { question: hi }\n    assert: [{ type: contains, value: x }]\n");

        var (code, _, stderr) = await app.RunAsync("evalset", "import", "promptfoo", source, "--out", Path.Combine(app.Dir, "evals"));

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains("--out '", stderr, StringComparison.Ordinal);
        Assert.Contains("is a folder; expected the path of a file to write", stderr, StringComparison.Ordinal);
    }
}
