using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;
using Glidepath.Releases;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath gate</c>: candidate vs baseline over the same cases in one run; pass, blocked or error.</summary>
internal static class GateCommand
{
    public static Command Build(CliEnvironment env)
    {
        var candidateArg = new Argument<string?>("CANDIDATE") { Description = "The release to gate (default: working, the working tree, registered as a release)", DefaultValueFactory = _ => null };
        var baselineOpt = new Option<string?>("--baseline") { Description = "The known-good release: env:production, vN, a hash prefix or git:REV (default: eval.gate.baseline)" };
        var reportOpt = new Option<string?>("--report") { Description = "Also write the verdict to this file" };
        var formatOpt = new Option<string?>("--report-format") { Description = "md (pull-request comment), junit, json or html (default: from the file name, else md)" };
        formatOpt.AcceptOnlyFromAmong([.. ReportFormat.Names]);
        var planOpt = new Option<bool>("--plan") { Description = "Run nothing: show how many trials a case needs for the gate to see a drop, for this dataset's size and eval.gate.confidence" };
        var fromOpt = new Option<double?>("--from") { Description = "With --plan: the case's pass rate on the baseline, e.g. 0.9" };
        var toOpt = new Option<double?>("--to") { Description = "With --plan: the candidate's pass rate to detect, e.g. 0.6" };
        var options = new EvalOptions();
        var command = new Command("gate", """
            The eval gate: score the candidate AND the baseline over the same frozen cases in the same run,
            interleaved, then decide. The baseline is held or beaten → pass (exit 0); otherwise blocked
            (exit 1), naming each regressed case with both answers side by side. Any provider, scorer or
            judge error, or zero cases, is an error (exit 3): never a pass. The verdict is stored as
            evidence for promotion.

            An unchanged candidate is blocked with probability at most 1 - eval.gate.confidence, whatever
            the suite's size and flakiness: half of it for the cases, half for the mean. Per case: with 1
            trial, passed on the baseline and failed on the candidate is a regression; with more trials, a
            one-sided Fisher exact p-value, corrected across all cases (discrete Holm), must be at most
            (1 - confidence) / 2. Overall: blocked when the paired randomization interval of the mean score
            difference lies wholly below -max_mean_drop, or regressions exceed max_case_regressions.
            --plan shows how many trials a case needs to see a given drop.

            Examples:
              glidepath gate
              glidepath gate --baseline v3 --trials 10
              glidepath gate --report gate.md --report-format md
              glidepath gate --plan --from 0.9 --to 0.6
            """)
        {
            candidateArg,
            baselineOpt,
            reportOpt,
            formatOpt,
            planOpt,
            fromOpt,
            toOpt,
        };
        options.AddTo(command);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            using var session = await EvalSession.OpenAsync(ctx, !parse.GetValue(options.NoCache), parse.GetValue(options.Environment), parse.GetValue(options.Vars) ?? [], ct);
            if (parse.GetValue(planOpt))
            {
                var planned = await session.LoadDatasetAsync(parse.GetValue(options.Dataset) ?? session.Config.Dataset, parse.GetValue(options.Tags) ?? [], ct);
                GatePlanOutput.Print(ctx, planned.Cases.Count, session.Config.Gate.Confidence, parse.GetValue(fromOpt), parse.GetValue(toOpt));
                return ExitCodes.Ok;
            }

            EvalRun run;
            EvalDataset dataset;
            Release candidate, baseline;
            if (parse.GetValue(options.Resume) is { } resume)
            {
                (run, dataset) = await session.ResumeAsync(resume, "gate", ct);
                candidate = await session.ReleaseByIdAsync(run.ReleaseId, ct);
                baseline = await session.ReleaseByIdAsync(run.BaselineReleaseId!, ct);
                run = run with { Concurrency = EvalOptions.Positive(parse.GetValue(options.Concurrency), "--concurrency", run.Concurrency) };
            }
            else
            {
                var resolver = ReleaseCommand.Resolver(ctx, session.Store);
                candidate = await resolver.ResolveAsync(parse.GetValue(candidateArg) ?? "working", register: true, ct);
                baseline = await ResolveBaselineAsync(resolver, parse.GetValue(baselineOpt) ?? session.Config.Gate.Baseline, ct);
                var datasetPath = parse.GetValue(options.Dataset) ?? session.Config.Dataset;
                dataset = await session.LoadDatasetAsync(datasetPath, parse.GetValue(options.Tags) ?? [], ct);
                run = new EvalRun
                {
                    Id = session.NewRunId(),
                    App = ctx.Manifest.App,
                    Kind = "gate",
                    ReleaseId = candidate.Id,
                    BaselineReleaseId = baseline.Id,
                    DatasetPath = datasetPath,
                    DatasetSha256 = dataset.Sha256,
                    Trials = EvalOptions.Positive(parse.GetValue(options.Trials), "--trials", session.Config.Trials),
                    CaseCount = dataset.Cases.Count,
                    Tags = parse.GetValue(options.Tags) ?? [],
                    ScorerVersion = session.Scorers.Version,
                    UseCache = !parse.GetValue(options.NoCache),
                    Concurrency = EvalOptions.Positive(parse.GetValue(options.Concurrency), "--concurrency", session.Config.Concurrency ?? 8),
                    CreatedAt = ctx.Time.GetUtcNow(),
                };
                await session.Store.EvalRuns.CreateAsync(run, ct);
                var same = candidate.Id == baseline.Id ? " (same content: the release is compared with itself)" : "";
                ctx.Output.Note($"gate run {run.Id}: candidate {candidate.Label} vs baseline {baseline.Label}{same}, {dataset.Cases.Count} cases × {run.Trials} trial(s)");
            }

            IReadOnlyList<IEvalTarget> targets = candidate.Id == baseline.Id ? [session.Target(candidate)] : [session.Target(baseline), session.Target(candidate)];
            var results = dataset.Cases.Count == 0 ? [] : await session.ExecuteAsync(run, dataset.Cases, targets, "glidepath gate", ct);
            var decision = GateEvaluator.Decide(Inputs(dataset, results, baseline.Id, candidate.Id), GateRule.From(session.Config.Gate));
            var report = new GateReport
            {
                App = ctx.Manifest.App,
                RunId = run.Id,
                CandidateLabel = candidate.Label,
                CandidateId = candidate.Id,
                BaselineLabel = baseline.Label,
                BaselineId = baseline.Id,
                DatasetPath = run.DatasetPath,
                DatasetSha256 = run.DatasetSha256,
                ScorerVersion = session.Scorers.Version,
                Judges = session.Scorers.Judges,
                Decision = decision,
                CreatedAt = ctx.Time.GetUtcNow(),
            };
            await session.Store.GateVerdicts.SaveAsync(new GateVerdictRecord(
                "gv-" + Guid.NewGuid().ToString("N")[..16], report.App, candidate.Id, baseline.Id, run.DatasetSha256, report.ResultWord,
                session.Scorers.Version, report.CreatedAt, JsonSerializer.Serialize(Details(report), JsonReport.SerializerOptions)), ct);
            if (parse.GetValue(reportOpt) is { } file)
            {
                var format = parse.GetValue(formatOpt) ?? ReportFormat.FromFileName(file);
                await File.WriteAllTextAsync(file, ReportFormat.Render(report, format), ct);
                ctx.Output.Note($"report written to {file} ({format})");
            }

            Print(ctx, report, session, results, run);
            return decision.ExitCode;
        });
        return command;
    }

    private static async Task<Release> ResolveBaselineAsync(ReleaseResolver resolver, string reference, CancellationToken ct)
    {
        try
        {
            return await resolver.ResolveAsync(reference, register: true, ct);
        }
        catch (BadInputException ex) when (reference.StartsWith("env:", StringComparison.Ordinal) && !ex.Message.StartsWith("unknown environment", StringComparison.Ordinal))
        {
            throw new BadInputException($"baseline {reference}: {ex.Message}. Gate against a registered release instead, e.g. --baseline v1 ('glidepath release list' shows them)", ex);
        }
    }

    internal static IReadOnlyList<GateCaseInput> Inputs(EvalDataset dataset, IReadOnlyList<TrialResult> results, string baselineId, string candidateId)
    {
        var byKey = results.GroupBy(r => (r.ReleaseId, r.CaseId)).ToDictionary(g => g.Key, g => (IReadOnlyList<TrialResult>)g.OrderBy(r => r.Trial).ToList());
        IReadOnlyList<TrialResult> Get(string release, string caseId) => byKey.TryGetValue((release, caseId), out var list) ? list : [];
        return dataset.Cases.Select(c => new GateCaseInput(c.Id, Get(baselineId, c.Id), Get(candidateId, c.Id)) { Tags = c.Tags }).ToList();
    }

    private static object Details(GateReport r) => new
    {
        run = r.RunId,
        cases = r.Decision.Cases.Count,
        trials = r.Decision.Trials,
        regressed = r.Decision.Regressions.Select(c => c.CaseId),
        improved = r.Decision.Improvements.Select(c => c.CaseId),
        errors = r.Decision.Errors.Count,
        reasons = r.Decision.Reasons,
        baseline_pass_rate = r.Decision.BaselinePassRate,
        candidate_pass_rate = r.Decision.CandidatePassRate,
        mean_difference = new { estimate = r.Decision.MeanDifference, low = r.Decision.CiLow, high = r.Decision.CiHigh, confidence = r.Decision.Confidence },
        rule = r.Decision.Rule,
        correction = r.Decision.Correction.Describe(),
        judges = r.Judges,
    };

    private static void Print(CliContext ctx, GateReport report, EvalSession session, IReadOnlyList<TrialResult> results, EvalRun run)
    {
        var d = report.Decision;
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(JsonReport.ToObject(report));
            return;
        }

        if (results.Count > 0)
        {
            var summaries = RunSummary.Of(results, run.ReleaseIds);
            EvalCommand.SummaryTable(ctx, summaries.Select(s => (s.ReleaseId == report.CandidateId ? $"{report.CandidateLabel} (candidate)" : $"{report.BaselineLabel} (baseline)", s)).ToList());
        }

        var (color, word) = d.Result switch
        {
            GateResult.Pass => ("green", "PASS"),
            GateResult.Blocked => ("red", "BLOCKED"),
            _ => ("yellow", "ERROR"),
        };
        ctx.Output.Line($"Gate {word}: {report.CandidateLabel} vs {report.BaselineLabel}", $"[bold {color}]Gate {word}[/]: {Spectre.Console.Markup.Escape($"{report.CandidateLabel} vs {report.BaselineLabel}")}");
        foreach (var reason in d.Reasons)
        {
            ctx.Output.Line("  " + reason);
        }

        ctx.Output.Line("  cases corrected: " + d.Correction.Describe());

        ctx.Output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  pass rate {d.BaselinePassRate:0.0%} → {d.CandidatePassRate:0.0%}; mean score difference {d.MeanDifference:+0.000;-0.000;0.000} ({d.Confidence:0%} CI {d.CiLow:+0.000;-0.000;0.000} to {d.CiHigh:+0.000;-0.000;0.000})"));
        foreach (var c in d.Regressions)
        {
            ctx.Output.Line();
            ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"REGRESSED {c.CaseId}: baseline {c.BaselinePasses}/{c.BaselineTrials} passed, candidate {c.CandidatePasses}/{c.CandidateTrials}{(c.PValue is { } p ? $" (p = {p:0.####}, adjusted {c.AdjustedPValue:0.####})" : "")}"));
            if (c.CandidateReason.Length > 0)
            {
                ctx.Output.Line("  why: " + c.CandidateReason);
            }

            SideBySide(ctx, c.BaselineOutput, c.CandidateOutput);
        }

        if (d.Improvements.Count > 0)
        {
            ctx.Output.Line();
            ctx.Output.Line("Improved: " + string.Join(", ", d.Improvements.Select(c => c.CaseId)));
        }

        foreach (var e in d.Errors.Take(10))
        {
            ctx.Output.Note($"error: {e.CaseId} ({e.Side}, trial {e.Trial + 1}): {e.Message}");
        }

        if (d.Errors.Count > 10)
        {
            ctx.Output.Note($"… and {d.Errors.Count - 10} more errors ('glidepath eval show {run.Id}')");
        }

        ctx.Output.Note($"verdict stored for {report.CandidateLabel} vs {report.BaselineLabel} (dataset {report.DatasetSha256[..12]}, scorers {session.Scorers.Version[..12]})");
    }

    private static void SideBySide(CliContext ctx, string baseline, string candidate)
    {
        const int width = 58;
        var left = Wrap(baseline, width);
        var right = Wrap(candidate, width);
        ctx.Output.Line($"  {"baseline".PadRight(width)} │ candidate");
        ctx.Output.Line($"  {new string('─', width)}─┼─{new string('─', width)}");
        for (var i = 0; i < Math.Max(left.Count, right.Count) && i < 12; i++)
        {
            ctx.Output.Line($"  {(i < left.Count ? left[i] : "").PadRight(width)} │ {(i < right.Count ? right[i] : "")}");
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        foreach (var para in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in para.Split(' '))
            {
                var w = word.Length > width ? word[..width] : word;
                if (line.Length + w.Length + 1 > width && line.Length > 0)
                {
                    lines.Add(line);
                    line = "";
                }

                line = line.Length == 0 ? w : line + " " + w;
            }

            lines.Add(line);
        }

        return lines;
    }
}
