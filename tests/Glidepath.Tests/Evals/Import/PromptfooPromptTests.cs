using Glidepath.Errors;
using Glidepath.Evals.Import;

namespace Glidepath.Tests.Evals.Import;

public sealed class PromptfooPromptTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "pf-prompts");
    private static readonly string ConfigPath = Path.Combine(Folder, "promptfooconfig.yaml");

    private const string Tests = """
        tests:
          - description: refund window
            vars: { question: How long do I have to return shoes?, tier: gold }
            assert: [{ type: contains, value: 30 days }]
        """;

    private static PromptfooFiles Files(params (string Relative, string Text)[] files)
    {
        var map = files.ToDictionary(f => Path.GetFullPath(Path.Combine(Folder, f.Relative)), f => f.Text, StringComparer.Ordinal);
        return new PromptfooFiles(ConfigPath, path => map.GetValueOrDefault(path));
    }

    // Outside trial (LOW, common): prompts: [file://prompts/main.txt] was only listed, so the user message lost the prompt's
    // framing text and was the bare question.
    [Fact]
    public void Convert_TextPromptFile_IsRenderedWithTheTestsVarsAsTheUserMessage()
    {
        var result = PromptfooImporter.Convert("prompts: [file://prompts/main.txt]\n" + Tests, ConfigPath,
            Files(("prompts/main.txt", "A {{tier}} customer asks: {{ question }}\nAnswer from the policy.\n")));

        Assert.Equal(
            """{"id":"refund-window","input":{"messages":[{"role":"user","content":"A gold customer asks: How long do I have to return shoes?\nAnswer from the policy."}],"vars":{"question":"How long do I have to return shoes?","tier":"gold"}},"expect":{"contains":["30 days"]}}""" + "\n",
            result.ToJsonLines());
        Assert.Empty(result.NotConverted);
    }

    [Theory]
    [InlineData("prompts: [file://p.txt]", "p.txt")]
    [InlineData("prompts: file://p.md", "p.md")]
    [InlineData("prompts:\n  - id: file://p.md\n    label: main", "p.md")]
    [InlineData("prompts: { 'file://p.txt': main }", "p.txt")]
    public void Convert_PromptFile_GivesTheSameDatasetAndNotesAsTheSameTextInline(string prompts, string file)
    {
        const string Text = "Tier {{ tier | upper }}: {{question}} {{missing}}";
        var inline = PromptfooImporter.Convert($"prompts: [\"{Text}\"]\n" + Tests, ConfigPath, Files());

        var fromFile = PromptfooImporter.Convert(prompts + "\n" + Tests, ConfigPath, Files((file, Text)));

        Assert.Equal(inline.ToJsonLines(), fromFile.ToJsonLines());
        Assert.Equal(inline.NotConverted, fromFile.NotConverted);
        Assert.Equal(2, fromFile.NotConverted.Count); // {{ tier | upper }} and {{missing}}, as for the inline prompt
    }

    [Fact]
    public void Convert_TextPromptFileWithSeveralPrompts_UsesTheFirstAndNotesTheRest()
    {
        var result = PromptfooImporter.Convert("prompts: [file://p.txt]\n" + Tests, ConfigPath,
            Files(("p.txt", "---\r\nFirst: {{question}}\r\n  \r\n---\r\nSecond: {{question}}\r\n---\r\n")));

        Assert.Equal("First: How long do I have to return shoes?", result.Cases[0]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(["prompt file://p.txt holds 2 prompts (separated by --- lines): only the first is used to build each case's user message"], result.NotConverted);
    }

    [Fact]
    public void Convert_MarkdownPromptFile_IsOnePromptEvenWithADashLine()
    {
        var result = PromptfooImporter.Convert("prompts: [file://p.md]\n" + Tests, ConfigPath, Files(("p.md", "# Policy\n---\n{{question}}")));

        Assert.Equal("# Policy\n---\nHow long do I have to return shoes?", result.Cases[0]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Empty(result.NotConverted);
    }

    [Theory]
    [InlineData("chat.json", """[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "{{question}}"}]""")]
    [InlineData("chat.yaml", "- role: system\n  content: Be brief.\n- role: user\n  content: '{{question}}'\n")]
    public void Convert_ChatPromptFile_IsListedAsNotConverted_AndTheMessageComesFromTheVars(string file, string text)
    {
        var result = PromptfooImporter.Convert($"prompts: [file://{file}]\n" + Tests, ConfigPath, Files((file, text)));

        Assert.Equal("How long do I have to return shoes?", result.Cases[0]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal([$"prompt file://{file} is a chat prompt (2 messages); not converted (a case gets one user message, from a text prompt; a system message belongs in the release's prompt.system); the user message is taken from the test vars instead"], result.NotConverted);
    }

    [Theory]
    [InlineData("file://prompts/*.txt", "a wildcard")]
    [InlineData("file://prompt.py:build", "a script")]
    [InlineData("file://prompt.js", "a script")]
    [InlineData("file://prompts.jsonl", "only .txt and .md text prompts are read")]
    public void Convert_WildcardScriptOrOtherPromptFile_IsListedWithItsReasonAndNotRead(string reference, string reason)
    {
        var result = PromptfooImporter.Convert($"prompts: ['{reference}']\n" + Tests, ConfigPath, Files());

        Assert.Equal("How long do I have to return shoes?", result.Cases[0]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        var note = Assert.Single(result.NotConverted);
        Assert.StartsWith($"prompt {reference} is not converted ({reason}", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file://missing.txt", ":2: file://missing.txt: no such file")]
    [InlineData("file://../outside.txt", ":2: file://../outside.txt is outside the config's folder")]
    [InlineData("file://empty.txt", ":2: file://empty.txt holds no prompt")]
    [InlineData("file://missing.json", ":2: file://missing.json: no such file")]
    public void Convert_PromptFileMissingOutsideOrEmpty_IsBadInputAtTheConfigsLine(string reference, string expected)
    {
        var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert($"description: x\nprompts: [{reference}]\n" + Tests, ConfigPath,
            Files(("../outside.txt", "s3cret {{question}}"), ("empty.txt", "\n---\n  \n"))));

        Assert.StartsWith(ConfigPath + expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_OnDisk_PromptLinkLeadingOutsideTheFolder_IsBadInput()
    {
        var root = Path.Combine(Path.GetTempPath(), "pf-prompt-link-" + Guid.NewGuid().ToString("N")[..8]);
        var folder = Path.Combine(root, "suite");
        Directory.CreateDirectory(Path.Combine(folder, "prompts"));
        try
        {
            File.WriteAllText(Path.Combine(root, "secret.txt"), "root:x:0:0 {{question}}");
            File.CreateSymbolicLink(Path.Combine(folder, "prompts", "main.txt"), Path.Combine(root, "secret.txt"));
            var config = Path.Combine(folder, "promptfooconfig.yaml");

            var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("prompts: [file://prompts/main.txt]\n" + Tests, config, PromptfooFiles.OnDisk(config)));

            Assert.StartsWith(config + ":1: file://prompts/main.txt is a symbolic link that leads outside the config's folder", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
