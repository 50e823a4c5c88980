using System.CommandLine;
using System.Text;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Traces;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath evalset add --from-trace ID</c>: a production failure becomes a frozen eval case.</summary>
internal static class EvalsetAddCommand
{
    public static Command Build(CliEnvironment env)
    {
        var fromTrace = new Option<string>("--from-trace") { Description = "The trace to freeze (its id, from 'glidepath traces list' or the Glidepath-Trace header, or a unique prefix of 8+ hex digits; ids the gateway makes begin with the time, so a prefix needs about 16)", Required = true };
        var expect = new Option<string[]>("--expect-contains") { Description = "Text the answer must contain (repeatable); becomes expect.contains" };
        var datasetOpt = new Option<string?>("--dataset") { Description = "The dataset file to append to (default: eval.dataset in glidepath.yaml)" };
        var command = new Command("add", """
            Append a case built from a captured trace to the dataset, so that the next gate runs it: the
            production failure becomes a frozen case, and a release that would bring it back is blocked.
            The request messages are redacted again with capture.redact; the case carries its provenance
            (trace id, environment, release, time) under "metadata", and as input.vars the trace environment's vars
            that the prompt of the trace's release uses (Glidepath-Var-* headers of the request are not recorded). A request already in the dataset
            (same messages, by sha256) is not added twice.

            Examples:
              glidepath evalset add --from-trace 4bf92f3577b34da6a3ce929d0e0e4736 --expect-contains "30 days"
              glidepath evalset add --from-trace 4bf92f3577b34da6 --dataset evals/regressions.jsonl
            """)
        {
            fromTrace,
            expect,
            datasetOpt,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var manifest = ctx.Manifest;
            var datasetPath = parse.GetValue(datasetOpt) ?? manifest.Eval?.Dataset
                ?? throw new BadInputException("no dataset: glidepath.yaml has no eval.dataset; pass --dataset FILE");
            var full = Path.IsPathRooted(datasetPath) ? datasetPath : Path.Combine(manifest.BaseDirectory, datasetPath);
            var store = await ctx.StoreAsync(ct);
            var trace = await TraceLookup.FindAsync(store.Traces, manifest.App, parse.GetValue(fromTrace)!,
                "'glidepath traces list --env ENV --failed --online-failed --negative-feedback' shows recent failures", ct);

            var release = await store.Releases.GetByIdAsync(manifest.App, trace.ReleaseId, ct);
            var expectations = (parse.GetValue(expect) ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).ToList();
            var vars = TraceCase.VarsUsedBy(release, manifest.FindEnvironment(trace.Environment)?.Vars ?? new Dictionary<string, string>());
            var caseJson = TraceCase.Build(trace, release?.Label ?? trace.ReleaseId, vars, manifest.Capture.Redact, expectations, ctx.Time.GetUtcNow());
            var hash = caseJson["metadata"]!["input_sha256"]!.GetValue<string>();
            var caseId = caseJson["id"]!.GetValue<string>();

            var existing = File.Exists(full) ? ReadDataset(full, datasetPath) : "";
            var current = await DatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(existing)), full, datasetPath, ct);
            if (current.Cases.FirstOrDefault(c => TraceCase.InputSha256(c) == hash) is { } same)
            {
                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new { added = false, dataset = datasetPath, case_id = same.Id, line = same.Line, input_sha256 = hash, dataset_sha256 = current.Sha256 });
                }
                else
                {
                    ctx.Output.Line($"= {datasetPath} already has this request as case '{same.Id}' (line {same.Line}); nothing added.");
                }

                return ExitCodes.Ok;
            }

            // A case the manifest's scorers could not check would stop the next eval run and gate (exit 2): refused here,
            // before anything is written, with what to add.
            if (manifest.Eval is { } eval && Glidepath.Evals.Scorers.ExpectReads.Of(eval.Scorers, Glidepath.Evals.Scorers.ScorerRegistry.CreateDefault()) is { } reads &&
                reads.Problems(caseJson["expect"] as System.Text.Json.Nodes.JsonObject ?? []).FirstOrDefault() is { } problem)
            {
                var fix = reads.Keys.Contains("contains")
                    ? "Give --expect-contains TEXT (the contains scorer reads it), or add a scorer that checks every case to eval.scorers"
                    : "Add { type: contains } to eval.scorers (it reads --expect-contains), or a scorer that checks every case";
                throw new BadInputException($"case '{caseId}' from trace {trace.TraceId}: {problem}. {fix}; nothing was added");
            }

            // Check the whole result with the dataset reader before writing, so a bad dataset is never left behind.
            var next = TraceCase.Append(existing, caseJson);
            var checkedSet = await DatasetReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(next)), full, datasetPath, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(full))!);
            await File.WriteAllTextAsync(full, next, new UTF8Encoding(false), ct);
            if (expectations.Count == 0)
            {
                ctx.Output.Note("note: no --expect-contains: only the scorers of eval.scorers that check every case (not_contains with values, json_valid, llm_judge…) will judge this case.");
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { added = true, dataset = datasetPath, case_id = caseId, line = checkedSet.Cases[^1].Line, input_sha256 = hash, dataset_sha256 = checkedSet.Sha256 });
                return ExitCodes.Ok;
            }

            ctx.Output.Line($"✓ added case '{caseId}' to {datasetPath} (line {checkedSet.Cases[^1].Line}) from trace {trace.TraceId} ({release?.Label ?? trace.ReleaseId} on {trace.Environment}).");
            // Only eval.dataset is the gate's dataset: a case added to another file changes no verdict that counts.
            var gated = manifest.Eval is { } gate && string.Equals(Path.GetFullPath(full),
                Path.GetFullPath(Path.IsPathRooted(gate.Dataset) ? gate.Dataset : Path.Combine(manifest.BaseDirectory, gate.Dataset)), StringComparison.Ordinal);
            ctx.Output.Line(gated
                ? $"  The next 'glidepath gate' runs it; the dataset's sha256 is now {checkedSet.Sha256[..12]}…, so earlier gate verdicts no longer count for promote, rollout start or the checklist."
                : $"  {datasetPath} is not eval.dataset ({manifest.Eval?.Dataset ?? "none"}): 'glidepath gate' does not run it, and the gate verdicts that count for promote, rollout start and the checklist are unchanged. 'glidepath gate --dataset {datasetPath}' runs it (a partial gate: its pass is not stored).");
            return ExitCodes.Ok;
        });
        return command;
    }

    // The dataset is read whole to check the result before it is written: bounded, and without waiting on a FIFO.
    private const int MaxDatasetBytes = 256 * 1024 * 1024;

    private static string ReadDataset(string full, string shown) =>
        Glidepath.Files.BoundedFile.IsStream(full)
            ? throw new BadInputException($"{shown} is a named pipe or a socket, not a file; 'evalset add' appends to a JSON Lines file")
            : Glidepath.Files.BoundedFile.ReadAllText(full, MaxDatasetBytes) ?? throw new BadInputException($"{shown}: larger than {MaxDatasetBytes / (1024 * 1024)} MiB; 'evalset add' reads the dataset whole to check it, so add the case to a smaller dataset or by hand");
}
