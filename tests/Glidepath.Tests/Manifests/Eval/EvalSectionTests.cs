using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Eval;

public sealed class EvalSectionTests
{
    private static readonly Glidepath.Files.IFileSource Dataset = FileSource(("evals/cases.jsonl", "{}"));

    [Fact]
    public void Parse_OnlyADataset_TakesTheDefaults()
    {
        var (eval, errors) = Read("dataset: evals/cases.jsonl\n", (r, m) => EvalSection.Parse(r, m, Dataset, ScorerRegistry.CreateDefault()));

        Assert.Empty(errors);
        Assert.Equal(1, eval!.Trials);
        Assert.Null(eval.Concurrency);
        Assert.Empty(eval.Scorers);
        Assert.Equal(new GateConfig(), eval.Gate);
        Assert.Equal("env:production", eval.Gate.Baseline);
    }

    [Fact]
    public void Parse_GateAndRunSettings_Read()
    {
        var (eval, errors) = Read("""
            dataset: evals/cases.jsonl
            trials: 5
            concurrency: 32
            scorers: [{ type: contains }]
            gate: { baseline: v3, max_case_regressions: 2, max_mean_drop: 0.05, confidence: 0.9 }
            """, (r, m) => EvalSection.Parse(r, m, Dataset, ScorerRegistry.CreateDefault()));

        Assert.Empty(errors);
        Assert.Equal(5, eval!.Trials);
        Assert.Equal(32, eval.Concurrency);
        Assert.Equal("contains", Assert.Single(eval.Scorers).Type);
        Assert.Equal(new GateConfig { Baseline = "v3", MaxCaseRegressions = 2, MaxMeanDrop = 0.05, Confidence = 0.9 }, eval.Gate);
    }

    [Fact]
    public void Parse_DatasetThatDoesNotExist_ReportedAtThePath()
    {
        var (_, errors) = Read("dataset: evals/other.jsonl\n", (r, m) => EvalSection.Parse(r, m, Dataset, ScorerRegistry.CreateDefault()));

        Assert.Equal("glidepath.yaml:1:10: dataset 'evals/other.jsonl' does not exist; expected a JSON Lines file relative to the manifest", Assert.Single(errors).ToString());
    }

    // Newcomer trial L5: trials: "3" ran 3 trials while a scorer's threshold: "0.9" was refused. One rule: a number is
    // written plain; quoted, YAML reads it as a string, refused at its line.
    [Fact]
    public void Parse_QuotedTrials_RefusedAtItsLine()
    {
        var (_, errors) = Read("dataset: evals/cases.jsonl\ntrials: \"3\"\n", (r, m) => EvalSection.Parse(r, m, Dataset, ScorerRegistry.CreateDefault()));

        Assert.Equal("glidepath.yaml:2:9: eval.trials is '3' (quoted); expected an integer, written without quotes (YAML reads a quoted value as a string)", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_NoDataset_ReportedAndBuildsNothing()
    {
        var (eval, errors) = Read("trials: 3\n", (r, m) => EvalSection.Parse(r, m, Dataset, ScorerRegistry.CreateDefault()));

        Assert.Null(eval);
        Assert.Equal("glidepath.yaml:1:1: missing eval.dataset; expected a string", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_GateConfidenceOutOfRange_Rejected()
    {
        var (_, errors) = Read("dataset: evals/cases.jsonl\ngate: { confidence: 0.3 }\n", (r, m) => EvalSection.Parse(r, m, Dataset, ScorerRegistry.CreateDefault()));

        Assert.Equal("glidepath.yaml:2:21: confidence is 0.3; expected a number from 0.5 to 0.9999", Assert.Single(errors).ToString());
    }
}
