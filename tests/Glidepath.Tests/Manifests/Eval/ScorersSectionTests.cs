using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Microsoft.Extensions.AI.Evaluation;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Eval;

public sealed class ScorersSectionTests
{
    private static readonly Glidepath.Files.IFileSource Rubric = FileSource(("evals/rubric.md", "Score 1 when right."));

    private static (List<ScorerSpec> Specs, IReadOnlyList<ManifestError> Errors) Parse(string yaml, ScorerRegistry? registry = null, bool online = false,
        Dictionary<string, ModelPrice>? prices = null) =>
        Read(yaml, (r, m) => ScorersSection.Parse(r, m.Children["scorers"], online ? "online.scorers" : "eval.scorers", Rubric, registry ?? ScorerRegistry.CreateDefault(), online, prices));

    private static IEvaluator Unused(ScorerSpec spec, ScorerBuildContext context) => throw new NotSupportedException();

    [Fact]
    public void Parse_EachScorer_LocatedAtItsItem()
    {
        var (specs, errors) = Parse("scorers:\n  - { type: contains, values: [a] }\n  - { type: json_valid, weight: 2 }\n");

        Assert.Empty(errors);
        Assert.Equal(["glidepath.yaml:2:5", "glidepath.yaml:3:5"], specs.Select(s => s.Location));
        Assert.Equal(["a"], specs[0].GetStrings("values"));
        Assert.Equal(2, specs[1].GetDouble("weight"));
    }

    [Fact]
    public void Parse_UnknownType_ListsBuiltInAndRegisteredTypes()
    {
        var registry = ScorerRegistry.CreateDefault().Register("polite", Unused);

        var (specs, errors) = Parse("scorers:\n  - { type: polit }\n", registry);

        Assert.Empty(specs);
        Assert.Equal($"glidepath.yaml:2:13: unknown scorer type 'polit'; expected one of: {string.Join(", ", BuiltInScorers.All.Select(t => t.Name))}, polite; did you mean 'polite'?",
            Assert.Single(errors).ToString());
    }

    // Trial newcomer2: a typo in a scorer type ("similarty") got the list of types but no "did you mean", while a mistyped
    // variable or tool name got one.
    [Fact]
    public void Parse_TypoInABuiltInType_SaysWhichItLikelyMeant()
    {
        var (_, errors) = Parse("scorers:\n  - { type: similarty }\n", ScorerRegistry.CreateDefault());

        Assert.EndsWith("; did you mean 'similarity'?", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BuiltInTypeWithAnOptionItDoesNotTake_ListsItsOptions()
    {
        var (_, errors) = Parse("scorers:\n  - { type: similarity, treshold: 0.4 }\n");

        Assert.Equal("glidepath.yaml:2:25: unknown key 'treshold' in scorer 'similarity'; expected one of: type, threshold, weight; did you mean 'threshold'?", Assert.Single(errors).ToString());
    }

    // { type: tool_call, name: find_order } reads as a check of that tool; the scorer names none (each case does).
    [Theory]
    [InlineData("name")]
    [InlineData("tool")]
    public void Parse_ToolCallNamingATool_SaysEachCaseNamesTheTool(string key)
    {
        var (_, errors) = Parse($"scorers:\n  - {{ type: tool_call, {key}: find_order }}\n");

        var error = Assert.Single(errors).ToString();
        Assert.StartsWith($"glidepath.yaml:2:24: unknown key '{key}' in scorer 'tool_call'; expected one of: type, weight (the tool_call scorer names no tool: each case's expect.tool_call names the call it expects", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TypeRegisteredWithoutOptions_KeepsEveryOptionAsJson()
    {
        var registry = ScorerRegistry.CreateDefault().Register("polite", Unused);

        var (specs, errors) = Parse("scorers:\n  - { type: polite, phrases: [thanks, please], strict: true }\n", registry);

        Assert.Empty(errors);
        var spec = Assert.Single(specs);
        Assert.Equal("polite", spec.Type);
        Assert.Equal(["thanks", "please"], spec.GetStrings("phrases"));
        Assert.True(spec.Options["strict"]!.GetValue<bool>());
    }

    [Fact]
    public void Parse_TypeRegisteredWithoutOptions_StillRejectsAKeyThatIsNotAName()
    {
        var registry = ScorerRegistry.CreateDefault().Register("polite", Unused);

        var (_, errors) = Parse("scorers:\n  - { type: polite, [a]: 1 }\n", registry);

        Assert.Equal("glidepath.yaml:2:21: a key in scorer 'polite' is a list; expected a plain name", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_TypeRegisteredWithOptions_RejectsOthers()
    {
        var registry = ScorerRegistry.CreateDefault().Register(new ScorerType("polite", Unused) { Options = ["phrases", "weight"] });

        var (_, errors) = Parse("scorers:\n  - { type: polite, phrase: thanks }\n", registry);

        Assert.Equal("glidepath.yaml:2:21: unknown key 'phrase' in scorer 'polite'; expected one of: type, phrases, weight; did you mean 'phrases'?", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_TypeThatNeedsAReference_RejectedOnlineOnly()
    {
        var registry = ScorerRegistry.CreateDefault().Register(new ScorerType("grounded", Unused) { NeedsReference = true });
        const string yaml = "scorers:\n  - { type: grounded }\n";

        Assert.Empty(Parse(yaml, registry).Errors);
        Assert.Equal("glidepath.yaml:2:13: scorer 'grounded' reads a case's expectations, which live traffic does not have; expected a reference-free scorer online",
            Assert.Single(Parse(yaml, registry, online: true).Errors).ToString());
    }

    [Fact]
    public void Parse_JudgeWithoutRubricAndModel_ReportsBoth()
    {
        var (_, errors) = Parse("scorers:\n  - { type: llm_judge, pass: 0.5 }\n");

        Assert.Equal("glidepath.yaml:2:5: llm_judge needs 'rubric:'; expected a path to a rubric file", Single(errors, "rubric"));
        Assert.Equal("glidepath.yaml:2:5: llm_judge needs 'model:'; expected { provider, name } of the judge model", Single(errors, "model"));
    }

    [Fact]
    public void Parse_JudgeWithRubricAndModel_Accepted()
    {
        var (specs, errors) = Parse("scorers:\n  - { type: llm_judge, rubric: evals/rubric.md, model: { provider: sim, name: j }, pass: 0.8 }\n");

        Assert.Empty(errors);
        Assert.Equal("evals/rubric.md", Assert.Single(specs).GetString("rubric"));
    }

    // Trial author D4: with no price for judge-1 every call added nothing to the spend, so a $0.0000001 cap let 21 calls through.
    [Fact]
    public void Parse_JudgeSpendLimitOnAnUnpricedModel_ReportedAtTheLimit()
    {
        const string Yaml = "scorers:\n  - { type: llm_judge, rubric: evals/rubric.md, model: { provider: openai, name: judge-1 }, max_spend_usd: 0.0000001 }\n";

        var (_, errors) = Parse(Yaml);

        Assert.Equal(
            "glidepath.yaml:2:108: max_spend_usd cannot be enforced: the judge model 'judge-1' has no price, so its calls cost nothing that can be added up; " +
            "expected its price in prices: (e.g. prices: { judge-1: { input: 1.0, output: 5.0 } }, USD per million tokens), or no max_spend_usd",
            Assert.Single(errors).ToString());
        Assert.Empty(Parse(Yaml, prices: new() { ["judge-1"] = new ModelPrice(3, 15) }).Errors);
        Assert.Empty(Parse(Yaml.Replace("judge-1", "claude-haiku-4-5", StringComparison.Ordinal)).Errors); // a built-in price
        Assert.Empty(Parse(Yaml.Replace(", max_spend_usd: 0.0000001", "", StringComparison.Ordinal)).Errors);
    }

    [Fact]
    public void Parse_RubricOrSchemaThatDoesNotExist_Reported()
    {
        var (_, errors) = Parse("scorers:\n  - { type: json_schema, schema: s.json }\n");

        Assert.Equal("glidepath.yaml:2:34: schema file 's.json' does not exist; expected a path relative to the manifest", Assert.Single(errors).ToString());
    }

    // Trial author D5: both were "unexpected ScorerException …", exit 3, with no line, once the run had started.
    [Theory]
    [InlineData("""{"type": "object", "required": [""", "schema file 'evals/s.json' is not a valid JSON schema (Expected depth to be zero at the end of the JSON payload")]
    [InlineData("""{"type": "objekt"}""", "schema file 'evals/s.json' is not a valid JSON schema (")]
    public void Parse_SchemaFileThatIsNoJsonSchema_ReportedAtTheSchemaOption(string content, string error)
    {
        var (_, errors) = Read("scorers:\n  - { type: json_schema, schema: evals/s.json }\n",
            (r, m) => ScorersSection.Parse(r, m.Children["scorers"], "eval.scorers", FileSource(("evals/s.json", content)), ScorerRegistry.CreateDefault(), online: false));

        var message = Assert.Single(errors).ToString();
        Assert.StartsWith("glidepath.yaml:2:34: " + error, message, StringComparison.Ordinal);
        Assert.EndsWith("; expected a JSON schema, e.g. {\"type\": \"object\", \"required\": [\"answer\"]}", message, StringComparison.Ordinal);
    }

    // Trial author D7: after ': > evals/rubric.md' the judge was sent "# Rubric" and nothing, and every case passed.
    [Theory]
    [InlineData("")]
    [InlineData("  \n\t\n")]
    [InlineData("# Rubric\n\n## Criteria\n")]
    public void Parse_RubricWithNoCriteria_ReportedAtTheRubricOption(string content)
    {
        var (_, errors) = Read("scorers:\n  - { type: llm_judge, rubric: evals/r.md, model: { provider: openai, name: j } }\n",
            (r, m) => ScorersSection.Parse(r, m.Children["scorers"], "eval.scorers", FileSource(("evals/r.md", content)), ScorerRegistry.CreateDefault(), online: false));

        Assert.Equal(
            "glidepath.yaml:2:32: rubric file 'evals/r.md' has no criteria (it is empty or holds only headings), so the judge would grade by nothing; " +
            "expected the criteria the judge scores an answer by, e.g. \"Score 1 when the answer states the 30-day return window\"",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_SchemaFileThatIsAJsonSchema_Accepted()
    {
        var (_, errors) = Read("scorers:\n  - { type: json_schema, schema: evals/s.json }\n",
            (r, m) => ScorersSection.Parse(r, m.Children["scorers"], "eval.scorers", FileSource(("evals/s.json", "\uFEFF{\"type\": \"object\"}")), ScorerRegistry.CreateDefault(), online: false));

        Assert.Empty(errors);
    }

    [Fact]
    public void Parse_RegexThatDoesNotCompile_Reported()
    {
        var (_, errors) = Parse("scorers:\n  - { type: regex, pattern: '(' }\n");

        Assert.StartsWith("glidepath.yaml:2:29: pattern is not a valid regular expression (", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    // Each of these once ran: dropped (values: a string fell back to the case's expectations, so every case passed),
    // ignored (the default used) or failing the run later with no line (values: [1, 2], exit 3).
    [Theory]
    [InlineData("{ type: contains, values: ZZZ }", "scorer 'contains'.values is 'ZZZ'; expected a list of non-empty strings")]
    [InlineData("{ type: contains, values: [1, 2] }", "scorer 'contains'.values has 1 in it; expected a list of non-empty strings")]
    [InlineData("{ type: not_contains, values: [null] }", "scorer 'not_contains'.values has null in it; expected a list of non-empty strings")]
    [InlineData("{ type: contains, ignore_case: yes }", "scorer 'contains'.ignore_case is 'yes'; expected true or false")]
    [InlineData("{ type: exact, ignore_case: 1 }", "scorer 'exact'.ignore_case is '1'; expected true or false")]
    [InlineData("{ type: contains, weight: -1 }", "scorer 'contains'.weight is '-1'; expected a number above 0")]
    [InlineData("{ type: contains, weight: 0 }", "scorer 'contains'.weight is '0'; expected a number above 0")]
    [InlineData("{ type: contains, weight: x }", "scorer 'contains'.weight is 'x'; expected a number")]
    [InlineData("{ type: similarity, threshold: high }", "scorer 'similarity'.threshold is 'high'; expected a number")]
    [InlineData("{ type: similarity, threshold: 1.5 }", "scorer 'similarity'.threshold is 1.5; expected a number from 0 to 1")]
    [InlineData("{ type: similarity, threshold: '0.9' }", "scorer 'similarity'.threshold is '0.9' (quoted); expected a number")]
    [InlineData("{ type: max_latency_ms, value: -5 }", "scorer 'max_latency_ms'.value is -5; expected a number")]
    [InlineData("{ type: max_cost, value: cheap }", "scorer 'max_cost'.value is 'cheap'; expected a number")]
    [InlineData("{ type: max_cost }", "scorer 'max_cost' needs value: a number (the limit)")]
    [InlineData("{ type: max_cost, value: ~ }", "scorer 'max_cost' needs value: a number (the limit)")]
    [InlineData("{ type: contains, values: [] }", "scorer 'contains'.values is empty; expected a list of non-empty strings")]
    [InlineData("{ type: contains, values: [''] }", "scorer 'contains'.values has \"\" in it; expected a list of non-empty strings")]
    [InlineData("{ type: regex, pattern: 42 }", "scorer 'regex'.pattern is '42'; expected a string (a regular expression; quote it)")]
    [InlineData("{ type: json_schema, schema: true }", "scorer 'json_schema'.schema is 'true'; expected a string (a path relative to the manifest)")]
    [InlineData("{ type: llm_judge, rubric: evals/rubric.md, model: { provider: sim, name: s }, max_concurrency: '4' }", "scorer 'llm_judge'.max_concurrency is '4' (quoted); expected a number")]
    public void Parse_AnOptionOfTheWrongTypeOrRange_ReportedWhereItIs(string scorer, string error)
    {
        var (_, errors) = Parse($"scorers:\n  - {scorer}\n");

        // At the option's value (or the scorer's item when the option is missing).
        var line = $"  - {scorer}";
        var key = System.Text.RegularExpressions.Regex.Match(error, @"^scorer '[a-z_]+'\.([a-z_]+) ");
        var column = key.Success ? line.IndexOf(key.Groups[1].Value + ": ", StringComparison.Ordinal) + key.Groups[1].Length + 3 : 5;
        Assert.StartsWith($"glidepath.yaml:2:{column}: {error}", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionsOfTheRightType_Accepted()
    {
        var (specs, errors) = Parse("scorers:\n  - { type: contains, values: [a, 'b c'], ignore_case: true, weight: 0.5 }\n  - { type: similarity, threshold: 0.8 }\n  - { type: max_cost, value: 0.01 }\n  - { type: max_latency_ms, value: 0 }\n");

        Assert.Empty(errors);
        Assert.Equal(4, specs.Count);
    }

    [Fact]
    public void Parse_NotAList_Reported()
    {
        var (specs, errors) = Parse("scorers: { type: contains }\n");

        Assert.Empty(specs);
        Assert.Equal("glidepath.yaml:1:10: eval.scorers must be a list; expected - { type: contains } entries", Assert.Single(errors).ToString());
    }
}
