using Glidepath.Evals.Datasets;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>The gate's streaming path (issue 19): per-case tallies read from results in store order decide as the trials in hand do.</summary>
public sealed class GateRunTallyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ReadAsync_ResultsShuffledAsTheStoreMayReturnThem_DecidesExactlyAsTheTrialsInHand(int seed)
    {
        var random = new Random(seed);
        var inputs = Suite(random);
        var shuffled = inputs.SelectMany(c => c.Baseline.Concat(c.Candidate)).ToArray();
        random.Shuffle(shuffled);
        var rule = new GateRule { MaxCaseRegressions = 1, MaxMeanDrop = 0.05, Seed = seed };

        var expected = GateEvaluator.Decide(inputs, rule);
        var tally = await GateRunTally.ReadAsync(
            inputs.Select(c => new EvalCase { Id = c.CaseId, Messages = [], Tags = c.Tags }).ToAsyncEnumerable(), shuffled.ToAsyncEnumerable(), "b", "c", None);
        var decided = GateEvaluator.DecideFromTallies(tally.Cases, rule);
        var actual = decided with { Cases = await tally.WithAnswersAsync(decided.Cases, shuffled.ToAsyncEnumerable(), None) };

        // The suite has every kind of change, errors and non-dyadic scores, so the comparison covers each rule.
        Assert.All(new[] { CaseChange.Regressed, CaseChange.Improved, CaseChange.Error, CaseChange.Same }, k => Assert.Contains(expected.Cases, c => c.Change == k));
        Assert.Equal((expected.Result, expected.Trials, expected.Correction), (actual.Result, actual.Trials, actual.Correction));
        Assert.Equal(expected.Reasons, actual.Reasons);
        Assert.Equal(expected.Errors, actual.Errors);
        Assert.Equal((expected.MeanDifference, expected.CiLow, expected.CiHigh), (actual.MeanDifference, actual.CiLow, actual.CiHigh));
        Assert.Equal((expected.BaselinePassRate, expected.CandidatePassRate), (actual.BaselinePassRate, actual.CandidatePassRate));
        Assert.Equal(expected.Cases.Select(View), actual.Cases.Select(View));
        Assert.Equal(expected.Cases.Select(c => c.Tags), actual.Cases.Select(c => c.Tags));
    }

    [Fact]
    public async Task ReadAsync_ReleaseGatedAgainstItself_CountsItsResultsOnBothSides()
    {
        var trials = GateSimulation.Trials(new Random(3), "same", "a", 4, 0.5);

        var tally = await GateRunTally.ReadAsync(new[] { new EvalCase { Id = "a", Messages = [] } }.ToAsyncEnumerable(), trials.ToAsyncEnumerable(), "same", "same", None);

        var only = Assert.Single(tally.Cases);
        Assert.Equal(only.Baseline.Passes, only.Candidate.Passes);
        Assert.Equal((4, 4), (only.Baseline.Trials, only.Candidate.Trials));
    }

    // Trial ciflow #5: with the judge down, a release gated against itself said "90 trial(s) could not be scored" with 90
    // entries in errors[] when 45 trials ran: its one set of results was counted a side.
    [Fact]
    public async Task DecideFromTallies_ReleaseGatedAgainstItselfWithErrors_CountsEachErroredTrialOnce()
    {
        var trials = Enumerable.Range(0, 4).Select(t => GateSimulation.Trial("same", "a", t, pass: false, TrialStatus.Error)).ToList();
        var tally = await GateRunTally.ReadAsync(new[] { new EvalCase { Id = "a", Messages = [] } }.ToAsyncEnumerable(), trials.ToAsyncEnumerable(), "same", "same", None);

        var decided = GateEvaluator.DecideFromTallies(tally.Cases, new GateRule(), tally.OneRun);

        Assert.Equal(GateResult.Error, decided.Result);
        Assert.Equal(4, decided.Errors.Count);
        Assert.Contains("4 trial(s) could not be scored", decided.Reasons[0], StringComparison.Ordinal);
    }

    /// <summary>30 cases × 10 trials a side: stable, flaky, dropped and risen cases, about 1% errored trials, and partial scores on failures.</summary>
    private static List<GateCaseInput> Suite(Random random)
    {
        (double, double)[] kinds = [(1.0, 1.0), (0.7, 0.7), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)];
        return [.. Enumerable.Range(0, 30).Select(i =>
        {
            var (baseline, candidate) = kinds[i % kinds.Length];
            var id = $"case-{i}";
            return new GateCaseInput(id, Trials(random, "b", id, baseline), Trials(random, "c", id, candidate)) { Tags = [i % 2 == 0 ? "even" : "odd"] };
        })];
    }

    private static List<TrialResult> Trials(Random random, string release, string caseId, double passRate) =>
        [.. Enumerable.Range(0, 10).Select(t =>
        {
            var trial = GateSimulation.Trial(release, caseId, t, random.NextDouble() < passRate, random.NextDouble() < 0.01 ? TrialStatus.Error : null);
            return trial.Status == TrialStatus.Fail ? trial with { Score = random.Next(0, 10) / 10.0, Output = $"bad answer {t}" } : trial;
        })];

    private static object View(CaseComparison c) =>
        (c.CaseId, c.BaselinePasses, c.BaselineTrials, c.CandidatePasses, c.CandidateTrials, c.BaselineScore, c.CandidateScore, c.PValue, c.AdjustedPValue, c.Change,
            c.BaselineOutput, c.CandidateOutput, c.CandidateReason);
}
