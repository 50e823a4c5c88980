using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Microsoft.Extensions.AI.Evaluation;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Eval;

public sealed class ScorersSectionTests
{
    private static readonly Glidepath.Files.IFileSource Rubric = FileSource(("evals/rubric.md", "Score 1 when right."));

    private static (List<ScorerSpec> Specs, IReadOnlyList<ManifestError> Errors) Parse(string yaml, ScorerRegistry? registry = null, bool online = false) =>
        Read(yaml, (r, m) => ScorersSection.Parse(r, m.Children["scorers"], online ? "online.scorers" : "eval.scorers", Rubric, registry ?? ScorerRegistry.CreateDefault(), online));

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
        Assert.Equal($"glidepath.yaml:2:13: unknown scorer type 'polit'; expected one of: {string.Join(", ", BuiltInScorers.All.Select(t => t.Name))}, polite",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_BuiltInTypeWithAnOptionItDoesNotTake_ListsItsOptions()
    {
        var (_, errors) = Parse("scorers:\n  - { type: similarity, treshold: 0.4 }\n");

        Assert.Equal("glidepath.yaml:2:25: unknown key 'treshold' in scorer 'similarity'; expected one of: type, threshold, weight", Assert.Single(errors).ToString());
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

        Assert.Equal("glidepath.yaml:2:21: unknown key 'phrase' in scorer 'polite'; expected one of: type, phrases, weight", Assert.Single(errors).ToString());
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

    [Fact]
    public void Parse_RubricOrSchemaThatDoesNotExist_Reported()
    {
        var (_, errors) = Parse("scorers:\n  - { type: json_schema, schema: s.json }\n");

        Assert.Equal("glidepath.yaml:2:34: schema file 's.json' does not exist; expected a path relative to the manifest", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_RegexThatDoesNotCompile_Reported()
    {
        var (_, errors) = Parse("scorers:\n  - { type: regex, pattern: '(' }\n");

        Assert.StartsWith("glidepath.yaml:2:29: pattern is not a valid regular expression (", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAList_Reported()
    {
        var (specs, errors) = Parse("scorers: { type: contains }\n");

        Assert.Empty(specs);
        Assert.Equal("glidepath.yaml:1:10: eval.scorers must be a list; expected - { type: contains } entries", Assert.Single(errors).ToString());
    }
}
