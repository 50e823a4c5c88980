using System.Text;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Import;

namespace Glidepath.Tests.Evals.Import;

public sealed class PromptfooImporterTests
{
    private const string Config = """
        prompts:
          - "Customer asks: {{question}}"
        defaultTest:
          assert:
            - type: not-contains
              value: As an AI
        tests:
          - description: Refund window
            vars: { question: "How long do I have to return shoes?", tier: gold }
            assert:
              - { type: contains, value: 30 days }
              - { type: icontains, value: REFUND }
              - { type: llm-rubric, value: Mentions the tags }
          - description: Refund window
            vars: { question: "JSON please" }
            assert:
              - { type: is-json }
              - { type: regex, value: "\\d+" }
              - { type: equals, value: "{}" }
              - { type: javascript, value: "output.length < 10" }
          - vars: { question: "embedded" }
            assert:
              - { type: contains-json }
              - { type: contains-all, value: [a, b] }
        """;

    [Fact]
    public async Task Convert_CommonAssertions_BecomeExpectationsThatTheDatasetReaderAccepts()
    {
        var result = PromptfooImporter.Convert(Config, "promptfooconfig.yaml");
        var dataset = await DatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(result.ToJsonLines())), "x", "x", CancellationToken.None);

        Assert.Equal(["refund-window", "refund-window-2", "test-3"], dataset.Cases.Select(c => c.Id));
        var first = dataset.Cases[0];
        Assert.Equal("Customer asks: How long do I have to return shoes?", first.LastUserText);
        Assert.Equal("gold", first.Vars["tier"]);
        Assert.Equal("30 days", first.Expect["contains"]![0]!.GetValue<string>());
        Assert.Equal("REFUND", first.Expect["icontains"]![0]!.GetValue<string>());
        Assert.Equal("As an AI", first.Expect["not_contains"]![0]!.GetValue<string>());
        Assert.Equal("Mentions the tags", first.Expect["rubric"]!.GetValue<string>());
        Assert.False(first.Expect["json"]!.GetValue<bool>());
        var second = dataset.Cases[1];
        Assert.True(second.Expect["json"]!.GetValue<bool>());
        Assert.Equal("\\d+", second.Expect["regex"]!.GetValue<string>());
        Assert.Equal("{}", second.Expect["exact"]!.GetValue<string>());
        Assert.Equal("contains", dataset.Cases[2].Expect["json"]!.GetValue<string>());
        Assert.Equal(2, dataset.Cases[2].Expect["contains"]!.AsArray().Count);
        Assert.Contains("\\d+", result.ToJsonLines(), StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_UnsupportedAssertions_AreReportedAndScorersListed()
    {
        var result = PromptfooImporter.Convert(Config, "promptfooconfig.yaml");
        Assert.Contains(result.NotConverted, n => n.Contains("test 2 (Refund window): assert 'javascript'", StringComparison.Ordinal));
        var yaml = result.ScorersYaml()!;
        foreach (var type in new[] { "exact", "contains", "not_contains", "regex", "json_valid", "llm_judge" })
        {
            Assert.Contains($"type: {type}", yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Convert_BareTestListWithoutPrompt_TakesTheQuestionVarAsTheMessage()
    {
        var result = PromptfooImporter.Convert("""
            - vars: { question: "Hi?" }
              assert: [{ type: contains, value: hello }]
            - vars: { a: "1", b: "2" }
            """, "tests.yaml");
        Assert.Single(result.Cases);
        Assert.Contains(result.NotConverted, n => n.StartsWith("test 2: no prompt template", StringComparison.Ordinal));
    }

    [Fact]
    public void Convert_NotYamlOrNoTests_IsBadInputWithLocation()
    {
        var bad = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("tests: [\n  - {", "p.yaml"));
        Assert.StartsWith("p.yaml:", bad.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("prompts: [x]", "p.yaml"));
    }

    [Fact]
    public void Convert_DeepNestingOrNonScalarKey_IsBadInputNotACrash()
    {
        var deep = Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("tests: " + new string('[', 40_000) + new string(']', 40_000), "p.yaml"));
        Assert.Contains("nesting is deeper than", deep.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => PromptfooImporter.Convert("tests:\n  - { [a]: 1 }\n", "p.yaml"));
    }
}
