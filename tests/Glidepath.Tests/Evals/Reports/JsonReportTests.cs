using System.Text.Json;
using System.Text.Json.Serialization;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Scorers;
using Glidepath.Tests.Evals.Gate;

namespace Glidepath.Tests.Evals.Reports;

/// <summary>
/// The gate's JSON is written by hand; these compare it byte for byte with what the reflection-based serializer wrote
/// from the object graph it replaced (kept below as the reference), over generated reports.
/// </summary>
public sealed class JsonReportTests
{
    private static readonly JsonSerializerOptions ReferenceOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] Texts = ["", "plain", "quote \" backslash \\ slash /", "line\nbreak\ttab\u0001", "<script>&'", "naïve café ✓ 日本語 😀", "\u2028\u2029"];

    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_SameBytesAsTheSerializerOverTheFormerObjectGraph(int seed)
    {
        var report = Generated(seed);

        Assert.Equal(JsonSerializer.Serialize(ReferenceReport(report), ReferenceOptions) + "\n", JsonReport.Render(report));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Details_SameBytesAsTheSerializerOverTheFormerObjectGraph(int seed)
    {
        var report = Generated(seed);

        Assert.Equal(JsonSerializer.Serialize(ReferenceDetails(report), ReferenceOptions), JsonReport.Details(report));
    }

    // Newcomer trial L6: an unchanged case had "baseline_output": "" — an empty answer, to the reader. Null: not loaded.
    [Fact]
    public void Write_UnchangedCaseAnswersNotLoaded_NullNotAnEmptyAnswer()
    {
        var report = Generated(1);
        var cases = report.Decision.Cases;
        report = report with
        {
            Decision = report.Decision with
            {
                Cases = [cases[0] with { Change = CaseChange.Same, BaselineOutput = null, CandidateOutput = null, CandidateReason = null },
                    cases[1] with { Change = CaseChange.Regressed, BaselineOutput = "", CandidateOutput = "", CandidateReason = "" }, .. cases.Skip(2)],
            },
        };

        using var doc = JsonDocument.Parse(JsonReport.Render(report));
        var written = doc.RootElement.GetProperty("cases");
        foreach (var name in new[] { "baseline_output", "candidate_output", "candidate_reason" })
        {
            Assert.Equal(JsonValueKind.Null, written[0].GetProperty(name).ValueKind);
            Assert.Equal("", written[1].GetProperty(name).GetString());
        }
    }

    [Fact]
    public void Write_ManyCases_PassesTextOnAsItGoes()
    {
        var report = Generated(9, cases: 400);
        using var stream = new MemoryStream();
        var flushedBeforeEnd = false;
        using (var w = new Utf8JsonWriter(stream, JsonReport.WriterOptions))
        {
            JsonReport.Write(w, report);
            flushedBeforeEnd = stream.Length > 0;
        }

        Assert.True(flushedBeforeEnd);
        Assert.Equal(JsonReport.Render(report), System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    private static GateReport Generated(int seed, int cases = 12)
    {
        var random = new Random(seed);
        var rates = Enumerable.Range(0, cases).Select(_ => (random.NextDouble(), random.NextDouble())).ToArray();
        var inputs = GateSimulation.Cases(random, 1 + random.Next(4), rates);
        if (random.Next(2) == 0)
        {
            inputs.Add(new GateCaseInput("errored", [GateSimulation.Trial("b", "errored", 0, true)], [GateSimulation.Trial("c", "errored", 0, false, TrialStatus.Error)]));
        }

        if (seed % 4 == 0)
        {
            // Every candidate trial errored: its pass rate and the mean difference are not measured (null).
            inputs = [.. inputs.Select(c => c with { Candidate = [.. c.Candidate.Select(t => GateSimulation.Trial("c", c.CaseId, t.Trial, false, TrialStatus.Error))] })];
        }

        var decision = GateEvaluator.Decide(inputs, new GateRule { MaxCaseRegressions = random.Next(3), MaxMeanDrop = random.NextDouble() / 10 });
        decision = decision with
        {
            Cases = [.. decision.Cases.Select(c => c with
            {
                BaselineOutput = Text(random),
                CandidateOutput = Text(random),
                CandidateReason = Text(random),
                Tags = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Text(random))],
                PValue = random.Next(3) == 0 ? null : c.PValue ?? random.NextDouble(),
            })],
            CannotBlock = seed % 2 == 0 ? new CannotBlock(Text(random), 1 + random.Next(20), [Text(random), Text(random)]) : decision.CannotBlock,
            AlwaysFailing = seed % 3 == 0 ? new AlwaysFailing(Text(random), 1 + random.Next(20), [Text(random), Text(random)]) : decision.AlwaysFailing,
        };
        if (seed % 2 == 1)
        {
            decision = decision with { DropsNotSignificant = new DropsNotSignificant(1 + random.Next(20), [.. decision.Cases.Take(1 + random.Next(3))], 0.025, decision.Cases.Count, random.NextDouble() * 3) };
        }

        return new GateReport
        {
            App = Text(random),
            RunId = "20260101-000000-" + seed.ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
            CandidateLabel = "v2+" + Text(random),
            CandidateId = new string('b', 64),
            BaselineLabel = "v1+aaaaaaaa",
            BaselineId = new string('a', 64),
            DatasetPath = "evals/" + Text(random) + ".jsonl",
            DatasetSha256 = new string('d', 64),
            ScorerVersion = new string('e', 64),
            Judges = [.. Enumerable.Range(0, random.Next(3)).Select(i => new JudgeIdentity(Text(random), new string((char)('0' + i), 64)))],
            Decision = decision,
            CreatedAt = DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, 700_000_000_000_000_000)).ToOffset(TimeSpan.FromHours(random.Next(-12, 13))),
            Partial = random.Next(2) == 0 ? null : "only the cases tagged " + Text(random),
            Rule = seed % 3 == 0 ? null : VerdictRule.Of(new global::Glidepath.Manifests.EvalConfig { Dataset = "d", Trials = 1 + random.Next(10), Gate = new() { MaxCaseRegressions = decision.Rule.MaxCaseRegressions, MaxMeanDrop = decision.Rule.MaxMeanDrop } }),
            RuleChange = seed % 2 == 0 ? null : new RuleChange(Text(random), By(random), new VerdictRule(random.Next(3), 0, 0.95, 3, 20240611, 2000)),
            ScorerChange = seed % 3 == 2 ? null : new ScorerChange(Text(random), By(random), random.Next(2) == 0 ? null : new string('f', 64),
                [new ScorerDifference(Text(random), "option", Text(random), random.Next(2) == 0 ? null : "true", Text(random), By(random)), new ScorerDifference("tool_call", "removed", null, "tool_call", null, By(random))]),
            DatasetChange = seed % 3 == 1 ? null : new DatasetChange(Text(random), random.Next(5), random.Next(5), random.Next(5), [(Text(random), "removed"), (Text(random), "changed")]) { ChangedBy = By(random) },
        };
    }

    private static string Text(Random random) => Texts[random.Next(Texts.Length)];

    private static ChangedBy? By(Random random) => random.Next(4) switch { 0 => null, 1 => ChangedBy.ThisChange, 2 => ChangedBy.BaseBranch, _ => ChangedBy.Both };

    // The object graphs the gate serialised before, as they were (plus the later `partial`, the rule's `trials` and
    // `sha256` with `rule_change` since the rule became part of the verdict, `cannot_block`, `dataset_change` and `always_failing`,
    // `scorer_change` and the warnings' `changed_by`, `drops_not_significant`, `cases_always_errored`).
    private static object ReferenceRule(GateReport r) => r.Rule is not { } rule ? r.Decision.Rule : new
    {
        max_case_regressions = r.Decision.Rule.MaxCaseRegressions,
        max_mean_drop = r.Decision.Rule.MaxMeanDrop,
        confidence = r.Decision.Rule.Confidence,
        seed = r.Decision.Rule.Seed,
        resamples = r.Decision.Rule.Resamples,
        trials = rule.Trials,
        sha256 = rule.Sha256,
    };

    private static object? ReferenceRuleChange(GateReport r) => r.RuleChange is not { } change ? null : new
    {
        message = change.Message,
        changed_by = change.ChangedBy,
        baseline_rule = new
        {
            max_case_regressions = change.BaselineRule.MaxCaseRegressions,
            max_mean_drop = change.BaselineRule.MaxMeanDrop,
            confidence = change.BaselineRule.Confidence,
            trials = change.BaselineRule.Trials,
            sha256 = change.BaselineRule.Sha256,
        },
    };

    private static object? ReferenceScorerChange(GateReport r) => r.ScorerChange is not { } change ? null : new
    {
        message = change.Message,
        changed_by = change.ChangedBy,
        baseline_scorer_version = change.BaselineScorerVersion,
        changes = change.Changes.Select(c => new { scorer = c.Scorer, change = c.Change, name = c.Name, baseline = c.Baseline, candidate = c.Candidate, changed_by = c.ChangedBy }),
    };

    private static object? ReferenceCannotBlock(GateReport r) => r.Decision.CannotBlock is not { } blind ? null : new
    {
        message = blind.Message,
        cases_lower = blind.CasesLower,
        examples = blind.Examples,
    };

    private static object? ReferenceAlwaysFailing(GateReport r) => r.Decision.AlwaysFailing is not { } failing ? null : new
    {
        message = failing.Message,
        cases = failing.Cases,
        examples = failing.Examples,
    };

    private static object? ReferenceDrops(GateReport r) => r.Decision.DropsNotSignificant is not { } drops ? null : new
    {
        message = drops.Message,
        cases = drops.Cases,
        family_alpha = Math.Round(drops.FamilyAlpha, 12),
        expected_by_chance = Math.Round(drops.ExpectedByChance, 6),
        largest = drops.Largest.Select(c => new
        {
            case_id = c.CaseId,
            baseline_passes = c.BaselinePasses,
            baseline_trials = c.BaselineTrials,
            candidate_passes = c.CandidatePasses,
            candidate_trials = c.CandidateTrials,
            p_value = c.PValue,
            adjusted_p_value = c.AdjustedPValue,
        }),
    };

    private static object? ReferenceDatasetChange(GateReport r) => r.DatasetChange is not { } change ? null : new
    {
        message = change.Message,
        changed_by = change.ChangedBy,
        removed = change.Removed,
        changed = change.Changed,
        added = change.Added,
        examples = change.Examples.Select(e => new { case_id = e.CaseId, change = e.Change }),
    };

    private static object ReferenceReport(GateReport r) => new
    {
        verdict = r.ResultWord,
        app = r.App,
        run = r.RunId,
        partial = r.Partial,
        candidate = new { label = r.CandidateLabel, id = r.CandidateId },
        baseline = new { label = r.BaselineLabel, id = r.BaselineId },
        dataset = new { path = r.DatasetPath, sha256 = r.DatasetSha256 },
        scorer_version = r.ScorerVersion,
        judges = r.Judges,
        reasons = r.Decision.Reasons,
        counts = new
        {
            cases = r.Decision.Cases.Count,
            trials = r.Decision.Trials,
            regressed = r.Decision.Regressions.Count,
            improved = r.Decision.Improvements.Count,
            errors = r.Decision.Errors.Select(e => e.CaseId).Distinct().Count(),
        },
        baseline_pass_rate = r.Decision.BaselinePassRate,
        candidate_pass_rate = r.Decision.CandidatePassRate,
        mean_difference = new { estimate = r.Decision.MeanDifference, low = r.Decision.CiLow, high = r.Decision.CiHigh, confidence = r.Decision.Confidence },
        rule = ReferenceRule(r),
        rule_change = ReferenceRuleChange(r),
        scorer_change = ReferenceScorerChange(r),
        cannot_block = ReferenceCannotBlock(r),
        always_failing = ReferenceAlwaysFailing(r),
        dataset_change = ReferenceDatasetChange(r),
        drops_not_significant = ReferenceDrops(r),
        correction = new
        {
            method = r.Decision.Correction.Method,
            family_alpha = Math.Round(r.Decision.Correction.FamilyAlpha, 12),
            tested = r.Decision.Correction.Tested,
            testable = r.Decision.Correction.Testable,
            single_trial = r.Decision.Correction.SingleTrial,
            description = r.Decision.Correction.Describe(),
        },
        cases = r.Decision.Cases,
        cases_always_errored = (r.Decision.AlwaysErrored?.Cases ?? []).Select(c => new
        {
            case_id = c.CaseId,
            errored = c.Errors,
            trials = c.Trials,
            baseline_errored = c.BaselineErrors,
            baseline_trials = c.BaselineTrials,
            candidate_errored = c.CandidateErrors,
            candidate_trials = c.CandidateTrials,
        }),
        errors = r.Decision.Errors,
        created_at = r.CreatedAt,
    };

    private static object ReferenceDetails(GateReport r) => new
    {
        run = r.RunId,
        partial = r.Partial,
        cases = r.Decision.Cases.Count,
        trials = r.Decision.Trials,
        regressed = r.Decision.Regressions.Select(c => c.CaseId),
        improved = r.Decision.Improvements.Select(c => c.CaseId),
        errors = r.Decision.Errors.Select(e => e.CaseId).Distinct().Count(),
        reasons = r.Decision.Reasons,
        baseline_pass_rate = r.Decision.BaselinePassRate,
        candidate_pass_rate = r.Decision.CandidatePassRate,
        mean_difference = new { estimate = r.Decision.MeanDifference, low = r.Decision.CiLow, high = r.Decision.CiHigh, confidence = r.Decision.Confidence },
        rule = ReferenceRule(r),
        rule_change = ReferenceRuleChange(r),
        scorer_change = ReferenceScorerChange(r),
        cannot_block = ReferenceCannotBlock(r),
        always_failing = ReferenceAlwaysFailing(r),
        dataset_change = ReferenceDatasetChange(r),
        correction = r.Decision.Correction.Describe(),
        judges = r.Judges,
    };
}
