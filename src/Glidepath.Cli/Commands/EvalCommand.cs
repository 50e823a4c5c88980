using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;
using Glidepath.Views;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath eval run|list|show</c>: score a release over the frozen dataset, cases × trials.</summary>
internal static class EvalCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("eval", """
            Score a release over the frozen dataset: cases × trials, persisted as each finishes, resumable.
            Use 'glidepath gate' to compare a candidate with the baseline.
            """);
        command.Add(Run(env));
        command.Add(List(env));
        command.Add(Show(env));
        return command;
    }

    private static Command Run(CliEnvironment env)
    {
        var reference = new Argument<string?>("REF") { Description = "The release to score (default: working, the working tree)", DefaultValueFactory = _ => null };
        var options = new EvalOptions();
        var command = new Command("run", """
            Run the dataset's cases × trials against a release through its prompt, parameters and tools, with
            bounded concurrency. Each result is saved as it finishes: after Ctrl-C or a crash, '--resume RUN'
            continues without repeating finished work. Exit 0 when every trial was scored, 3 when any errored.

            Examples:
              glidepath eval run
              glidepath eval run v3 --trials 5 --tag refunds
              glidepath eval run --env production --var customer_tier=gold
              glidepath eval run --resume 20261126-091500-3fa2
            """)
        {
            reference,
        };
        options.AddTo(command);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            await using var session = await EvalSession.OpenAsync(ctx, options, parse, ct);
            var start = await session.Evals.StartAsync(parse.GetValue(reference), options.Read(parse), ct);
            RunNotes.Warnings(ctx, start.Dataset);
            if (!start.Resumed)
            {
                ctx.Output.Note($"run {start.Run.Id}: {start.Release.Label} over {start.Run.DatasetPath} ({start.Dataset.CaseCount} cases × {start.Run.Trials} trial(s))");
            }

            var notes = new RunNotes(ctx, ResumeLine.From("glidepath eval run", parse, options), () => session.Evals.Scorers.SpendLimitReached());
            var outcome = await session.Evals.RunAsync(start, notes, ct);
            await ReportAsync(ctx, outcome, notes, ct);
            return OutcomeExitCodes.For(outcome);
        });
        return command;
    }

    /// <summary>The summary and the trials that did not pass, read back from the store one at a time (a run of any size prints in the same memory).</summary>
    private static async Task ReportAsync(CliContext ctx, EvalOutcome outcome, RunNotes notes, CancellationToken ct)
    {
        var (run, release, summary) = (outcome.Start.Run, outcome.Start.Release, outcome.Summary);
        var concurrency = outcome.Concurrency;
        string? firstError = null;
        if (ctx.Output.IsJson)
        {
            // Written by hand (the serializer's format, byte for byte): a CI job runs this on every change, and the
            // reflection-based serializer's start-up was a fixed cost of each run.
            using var json = new StreamedJson(ctx.Output.Stdout);
            var w = json.Writer;
            w.WriteStartObject();
            w.WriteString("run", run.Id);
            w.WritePropertyName("release");
            ViewJsonWriter.Release(w, Glidepath.Releases.ReleaseView.From(release));
            w.WriteStartObject("dataset");
            w.WriteString("path", run.DatasetPath);
            w.WriteString("sha256", run.DatasetSha256);
            w.WriteEndObject();
            w.WriteString("scorer_version", run.ScorerVersion);
            w.WriteStartObject("concurrency");
            w.WriteNumber("requested", concurrency.Requested);
            w.WriteNumber("effective", concurrency.Effective);
            w.WriteString("limited_by", concurrency.LimitedBy);
            w.WriteEndObject();
            w.WritePropertyName("summary");
            ViewJsonWriter.Summary(w, summary);
            w.WriteStartArray("not_passed");
            await foreach (var f in outcome.NotPassedAsync(ct))
            {
                w.WriteStartObject();
                w.WriteString("case_id", f.CaseId);
                w.WriteNumber("trial", f.Trial);
                w.WriteString("status", f.Status.ToString().ToLowerInvariant());
                ViewJsonWriter.NumberOrNull(w, "score", f.Score);
                w.WriteString("reason", EvalRunOutput.Reason(f));
                w.WriteString("output", f.Display);
                w.WriteEndObject();
                json.FlushIfFull();
                firstError ??= f.Status == TrialStatus.Error ? f.Error : null;
            }

            json.Writer.WriteEndArray();
            if (OutcomeExitCodes.For(outcome) is var code and not ExitCodes.Ok)
            {
                // The failure contract every exit-3 path keeps (error and exit_code), beside the run's result.
                w.WriteString("error", ErrorText(summary, firstError));
                w.WriteString("resume", notes.ResumeCommand(run));
                if (notes.ResumeAfter() is { } after)
                {
                    w.WriteString("resume_after", after);
                }

                w.WriteNumber("exit_code", code);
            }

            json.Writer.WriteEndObject();
        }
        else
        {
            EvalRunOutput.SummaryTable(ctx, [(release.Label, summary)]);
            var shown = 0;
            await foreach (var f in outcome.NotPassedAsync(ct))
            {
                if (shown++ < 15)
                {
                    var mark = f.Status == TrialStatus.Error ? "error" : "fail ";
                    ctx.Output.Line($"  {mark} {f.CaseId}{(run.Trials > 1 ? $" ({TrialNumber.Text(f.Trial, run.Trials)})" : "")}: {EvalRunOutput.Reason(f)}");
                }

                firstError ??= f.Status == TrialStatus.Error ? f.Error : null;
            }

            if (shown > 15)
            {
                ctx.Output.Line($"  … and {shown - 15} more ('glidepath eval show {run.Id}' lists them all)");
            }
        }

        if (summary.Errors > 0)
        {
            ctx.Output.Note("error: " + ErrorText(summary, firstError));
            notes.Errored(run);
        }
    }

    private static string ErrorText(RunSummary summary, string? firstError) =>
        $"{summary.Errors} trial(s) could not be scored (provider, scorer or judge failed); an error is never a pass. First: {firstError}";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Command List(CliEnvironment env)
    {
        var command = new Command("list", """
            List recent eval and gate runs, newest first.

            Example:
              glidepath eval list --format json
            """);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.ReadStoreAsync(ct);
            var runs = await store.EvalRuns.ListAsync(ctx.Manifest.App, 50, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(runs);
                return ExitCodes.Ok;
            }

            if (runs.Count == 0)
            {
                ctx.Output.Line("No runs yet. Run 'glidepath eval run' or 'glidepath gate'.");
                return ExitCodes.Ok;
            }

            var views = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            ctx.Output.Table(["run", "kind", "release", "baseline", "cases", "trials", "status", "started"],
                runs.Select(r => (IReadOnlyList<string>)[r.Id, StoredName.Of(r.Kind), views.Label(r.ReleaseId), r.BaselineReleaseId is { } b ? views.Label(b) : "", N(r.CaseCount), N(r.Trials), StoredName.Of(r.Status),
                    r.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliEnvironment env)
    {
        var id = new Argument<string>("RUN") { Description = "The run id (or a unique prefix)" };
        var command = new Command("show", """
            Show a run's summary and every case × trial that did not pass, with its answer. For a gate run, also
            the verdict it stored (PASS, BLOCKED or ERROR) with its reasons, and whether it still holds: computed on
            the current eval.dataset and eval.scorers under the gate rule in force, as promote requires.

            Example:
              glidepath eval show 20261126-091500-3fa2
            """)
        {
            id,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.ReadStoreAsync(ct);
            var run = await EvalRunLookup.FindAsync(store.EvalRuns, ctx.Manifest.App, parse.GetValue(id)!, ct);
            var results = await store.EvalRuns.ResultsAsync(run.Id, ct);
            var summaries = RunSummary.Of(results, run.ReleaseIds, run.JudgeSpend);
            var views = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            var verdict = await StoredGateVerdict.ReadAsync(store.GateVerdicts, ctx.Manifest, run, ct);
            if (ctx.Output.IsJson)
            {
                // Each result as eval run's not_passed shows one: status pass, fail or error, and why it did not pass as
                // reason (it printed the status as a number and the record's derived key, why and display).
                ctx.Output.Json(new
                {
                    run,
                    releases = run.ReleaseIds.Select(views.Ref),
                    summaries,
                    StoredVerdict = verdict is null ? null : new
                    {
                        verdict.Record.Id, verdict.Record.Result, verdict.Record.CreatedAt, verdict.Reasons, verdict.Holds, HoldsWhy = verdict.HoldsText,
                    },
                    results = results.Select(r => new
                    {
                        r.RunId, r.ReleaseId, r.CaseId, r.Trial, r.Status, r.Score,
                        Reason = r.Status == TrialStatus.Pass ? null : EvalRunOutput.Reason(r),
                        // Tool calls as {name, arguments} and a scorer that did not apply with passed null (until 2026-12-06
                        // "name(args)" strings, and "passed": true beside "applicable": false).
                        r.Output, ToolCalls = r.ToolCalls.Select(ToolCallView.Parse), r.LatencyMs, r.CostUsd, r.InputTokens, r.OutputTokens,
                        Scores = r.Scores.Select(ScoreView.From), r.Error, r.FinishedAt,
                    }),
                });
                return ExitCodes.Ok;
            }

            ctx.Output.Line($"run {run.Id} ({StoredName.Of(run.Kind)}, {StoredName.Of(run.Status)}): {run.CaseCount} cases × {run.Trials} trial(s) over {run.DatasetPath} (sha256 {run.DatasetSha256[..12]})");
            // A gate run names both sides as the gate does (until 2026-12-06 only the baseline row was labelled).
            string Side(string id) => run.ReleaseIds.Count < 2 ? "" : id == run.BaselineReleaseId ? " (baseline)" : id == run.ReleaseId ? " (candidate)" : "";
            EvalRunOutput.SummaryTable(ctx, summaries.Select(s => (views.Label(s.ReleaseId) + Side(s.ReleaseId), s)).ToList());
            if (run.Kind == EvalRunKind.Gate)
            {
                WriteVerdict(ctx, verdict);
            }

            foreach (var r in results.Where(r => r.Status != TrialStatus.Pass))
            {
                ctx.Output.Line($"{r.Status.ToString().ToLowerInvariant()} {r.CaseId} {TrialNumber.Text(r.Trial, run.Trials)} [{views.Name(r.ReleaseId)}]: {EvalRunOutput.Reason(r)}");
                ctx.Output.Line("    " + r.Display.Replace("\n", "\n    ", StringComparison.Ordinal));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The verdict a gate run stored, or why there is none: eval show is where a past gate is read again.</summary>
    private static void WriteVerdict(CliContext ctx, StoredGateVerdict? verdict)
    {
        if (verdict is null)
        {
            ctx.Output.Line("gate verdict: none stored (a gate stores its verdict when it finishes, except a passing partial gate)");
            return;
        }

        var v = verdict.Record;
        ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"gate verdict {v.Result.ToUpperInvariant()} ({v.Id}, stored {v.CreatedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)"));
        foreach (var reason in verdict.Reasons)
        {
            ctx.Output.Line("  - " + reason);
        }

        ctx.Output.Line("  still holds: " + verdict.HoldsText);
    }
}
