using Glidepath.Errors;
using Glidepath.Evals.Import;

namespace Glidepath.Tests.Evals.Import;

public sealed class PromptfooFileReferenceTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "pf-config");
    private static readonly string ConfigPath = Path.Combine(Folder, "promptfooconfig.yaml");

    private static PromptfooFiles Files(params (string Relative, string Text)[] files)
    {
        var map = files.ToDictionary(f => Path.GetFullPath(Path.Combine(Folder, f.Relative)), f => f.Text, StringComparer.Ordinal);
        return new PromptfooFiles(ConfigPath, path => map.GetValueOrDefault(path));
    }

    [Fact]
    public void Convert_FileVar_IsReplacedByTheFileText()
    {
        var result = PromptfooImporter.Convert("""
            tests:
              - vars: { question: file://q/refund.txt }
                assert: [{ type: contains, value: days }]
            """, ConfigPath, Files(("q/refund.txt", "How long is the refund window?")));

        Assert.Equal("How long is the refund window?", result.Cases[0]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Empty(result.NotConverted);
    }

    [Fact]
    public void Convert_TestFileEntry_IsLoadedRelativeToTheConfig()
    {
        var result = PromptfooImporter.Convert("""
            prompts: ["{{question}}"]
            tests:
              - vars: { question: inline }
              - file://more_tests.yaml
            """, ConfigPath, Files(("more_tests.yaml", "- vars: { question: from file }\n  assert: [{ type: icontains, value: x }]\n- vars: { question: second }\n")));

        Assert.Equal(3, result.Cases.Count);
        Assert.Equal("from file", result.Cases[1]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.DoesNotContain(result.NotConverted, n => n.Contains("not a mapping", StringComparison.Ordinal));
    }

    [Fact]
    public void Convert_TestsAsOneFileReference_IsLoaded()
    {
        var result = PromptfooImporter.Convert("tests: file://cases.yaml\n", ConfigPath, Files(("cases.yaml", "- vars: { question: hi }\n")));
        Assert.Single(result.Cases);
    }

    [Fact]
    public void Convert_OnDisk_LinkInsideTheFolderToAFileOutside_IsBadInput_ALinkToAFileInsideIsRead()
    {
        var root = Path.Combine(Path.GetTempPath(), "pf-links-" + Guid.NewGuid().ToString("N")[..8]);
        var folder = Path.Combine(root, "suite");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(root, "secret.txt"), "root:x:0:0");
            File.WriteAllText(Path.Combine(folder, "q.txt"), "How long is the refund window?");
            File.CreateSymbolicLink(Path.Combine(folder, "leak.txt"), Path.Combine(root, "secret.txt"));
            File.CreateSymbolicLink(Path.Combine(folder, "alias.txt"), "q.txt");
            var config = Path.Combine(folder, "promptfooconfig.yaml");

            var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("tests:\n  - vars: { q: file://leak.txt }\n", config, PromptfooFiles.OnDisk(config)));
            var read = PromptfooImporter.Convert("tests:\n  - vars: { q: file://alias.txt }\n", config, PromptfooFiles.OnDisk(config));

            Assert.StartsWith(config + ":2: file://leak.txt is a symbolic link that leads outside the config's folder", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x", ex.Message, StringComparison.Ordinal);
            Assert.Equal("How long is the refund window?", read.Cases[0]["input"]!["messages"]![0]!["content"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Convert_MissingFile_IsBadInputWithFileAndLine()
    {
        var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("""
            tests:
              - vars: { question: hi }
              - vars: { question: file://missing.txt }
            """, ConfigPath, Files()));
        Assert.StartsWith(ConfigPath + ":3: file://missing.txt: no such file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_PathOutsideTheConfigFolder_IsRefusedNamingIt()
    {
        var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert(
            "tests:\n  - vars: { question: file://../secret.txt }\n", ConfigPath, Files(("../secret.txt", "s3cret"))));
        Assert.Contains("file://../secret.txt is outside the config's folder", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_ScriptVarListVarProvidersAndTestOptions_AreListedAsNotConverted()
    {
        var result = PromptfooImporter.Convert("""
            providers: [openai:gpt-4o-mini]
            tests:
              - vars: { question: hi, context: file://ctx.py, lang: [en, fr] }
                options: { provider: x }
              - file://more/*.yaml
            """, ConfigPath, Files());

        Assert.Contains(result.NotConverted, n => n.StartsWith("providers: not converted", StringComparison.Ordinal));
        Assert.Contains(result.NotConverted, n => n.Contains("var 'context' runs file://ctx.py", StringComparison.Ordinal));
        Assert.Contains(result.NotConverted, n => n.Contains("var 'lang' is a list", StringComparison.Ordinal));
        Assert.Contains(result.NotConverted, n => n.Contains("options not converted", StringComparison.Ordinal));
        Assert.Contains(result.NotConverted, n => n.Contains("file://more/*.yaml is not converted", StringComparison.Ordinal));
    }

    [Fact]
    public void ScorersYaml_NoConvertedAssertion_IsNull()
    {
        var result = PromptfooImporter.Convert("tests:\n  - vars: { question: hi }\n    assert: [{ type: python, value: x }]\n", ConfigPath, Files());
        Assert.Empty(result.Scorers);
        Assert.Null(result.ScorersYaml());
    }

    [Fact]
    public void Convert_VarsFile_IsLoaded()
    {
        var result = PromptfooImporter.Convert("""
            tests:
              - vars: file://vars/refund.yaml
            """, ConfigPath, Files(("vars/refund.yaml", "question: Refund?\ntier: gold\n")));

        Assert.Equal("gold", result.Cases[0]["input"]!["vars"]!["tier"]!.GetValue<string>());
    }

    private const string DefaultTest = """
        vars: { tier: gold, policy: file://policy.txt }
        assert: [{ type: not-contains, value: "As an AI" }, { type: contains, value: "{{tier}}" }]
        options: { provider: x }
        """;

    private const string DefaultTestTests = """
        tests:
          - vars: { question: Refund? }
          - vars: { question: Exchange?, tier: silver }
            assert: [{ type: icontains, value: exchange }]
        """;

    // Outside trial (LOW, common): defaultTest: file://defaults.yaml was only listed, so its vars and assertions were lost.
    [Theory]
    [InlineData("defaults.yaml", DefaultTest)]
    [InlineData("defaults.json", """{"vars": {"tier": "gold", "policy": "file://policy.txt"}, "assert": [{"type": "not-contains", "value": "As an AI"}, {"type": "contains", "value": "{{tier}}"}], "options": {"provider": "x"}}""")]
    public void Convert_DefaultTestFile_IsMergedAsTheSameInlineDefaultTest(string file, string text)
    {
        var inline = PromptfooImporter.Convert("defaultTest:\n" + string.Concat(DefaultTest.Split('\n').Select(l => "  " + l + "\n")) + DefaultTestTests, ConfigPath, Files(("policy.txt", "30 days")));

        var fromFile = PromptfooImporter.Convert($"defaultTest: file://{file}\n" + DefaultTestTests, ConfigPath, Files((file, text), ("policy.txt", "30 days")));

        Assert.Equal(
            """
            {"id":"test-1","input":{"messages":[{"role":"user","content":"Refund?"}],"vars":{"tier":"gold","policy":"30 days","question":"Refund?"}},"expect":{"not_contains":["As an AI"],"contains":["gold"]}}
            {"id":"test-2","input":{"messages":[{"role":"user","content":"Exchange?"}],"vars":{"tier":"silver","policy":"30 days","question":"Exchange?"}},"expect":{"not_contains":["As an AI"],"contains":["silver"],"icontains":["exchange"]}}

            """.ReplaceLineEndings("\n"),
            fromFile.ToJsonLines());
        Assert.Equal(inline.ToJsonLines(), fromFile.ToJsonLines());
        Assert.Equal(inline.NotConverted, fromFile.NotConverted);
        Assert.Equal(["defaultTest: options not converted"], fromFile.NotConverted);
    }

    [Theory]
    [InlineData("file://defaults.yaml", ":2: file://defaults.yaml: no such file")]
    [InlineData("file://../defaults.yaml", ":2: file://../defaults.yaml is outside the config's folder")]
    public void Convert_DefaultTestFileMissingOrOutside_IsBadInputAtTheConfigsLine(string reference, string expected)
    {
        var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert($"prompts: ['{{{{question}}}}']\ndefaultTest: {reference}\n" + DefaultTestTests,
            ConfigPath, Files(("../defaults.yaml", "vars: { s3cret: x }"))));

        Assert.StartsWith(ConfigPath + expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_DefaultTestFileNamingAMissingVarFile_IsBadInputAtTheDefaultTestFilesLine()
    {
        var ex = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("defaultTest: file://suite/defaults.yaml\n" + DefaultTestTests, ConfigPath,
            Files(("suite/defaults.yaml", "vars:\n  tier: gold\n  policy: file://policy.txt\n"))));

        Assert.StartsWith(Path.Combine(Folder, "suite", "defaults.yaml") + ":3: file://policy.txt: no such file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file://defaults.js", "defaultTest: \"file://defaults.js\" is not converted")]
    [InlineData("file://defaults/*.yaml", "defaultTest: \"file://defaults/*.yaml\" is not converted")]
    [InlineData("[a, b]", "defaultTest: [\"a\",\"b\"] is not converted")]
    public void Convert_DefaultTestScriptWildcardOrList_IsListedAsNotConverted(string value, string expected)
    {
        var result = PromptfooImporter.Convert($"defaultTest: '{value}'\n".Replace("'[a, b]'", "[a, b]", StringComparison.Ordinal) + DefaultTestTests, ConfigPath, Files());

        Assert.Equal(2, result.Cases.Count);
        Assert.Contains(result.NotConverted, n => n.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Convert_DefaultTestFileHoldingNoMapping_IsListed()
    {
        var result = PromptfooImporter.Convert("defaultTest: file://defaults.yaml\n" + DefaultTestTests, ConfigPath, Files(("defaults.yaml", "- a\n- b\n")));

        Assert.Equal(2, result.Cases.Count);
        Assert.Contains("defaultTest: file://defaults.yaml holds no mapping; not converted", result.NotConverted);
    }
}
