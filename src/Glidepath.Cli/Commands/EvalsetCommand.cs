using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Import;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath evalset import promptfoo FILE</c>: bring an existing promptfoo suite over as a dataset.</summary>
internal static class EvalsetCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("evalset", "Manage eval datasets: import suites written for other tools, add cases from production traces.");
        var import = new Command("import", "Convert another tool's test suite to a Glidepath dataset (JSON Lines).");
        import.Add(Promptfoo(env));
        command.Add(import);
        command.Add(EvalsetAddCommand.Build(env));
        return command;
    }

    private static Command Promptfoo(CliEnvironment env)
    {
        var file = new Argument<string>("FILE") { Description = "A promptfoo config (promptfooconfig.yaml) or a YAML list of tests" };
        var outOpt = new Option<string?>("--out") { Description = "Write the dataset here, replacing the file whole; a missing folder is made (default: print it on stdout)" };
        var command = new Command("promptfoo", """
            Convert promptfoo tests (vars + assert) to dataset cases. Assertions equals, contains, icontains,
            contains-all, not-contains, regex, is-json, contains-json and llm-rubric become expectations
            ({{ name }} in a value is filled from the test's vars, as in the prompt); the scorers that read
            them are printed as a snippet for glidepath.yaml. file:// text prompts (.txt, .md), defaultTest,
            vars and test files are read relative to the config's folder (a path outside it, or a missing
            file, is exit 2).
            Anything else is listed as not converted. Exit 0 when at least one case was converted, 2 otherwise.

            Examples:
              glidepath evalset import promptfoo promptfooconfig.yaml --out evals/support.jsonl
              glidepath evalset import promptfoo tests.yaml > evals/cases.jsonl
            """)
        {
            file,
            outOpt,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new BadInputException($"{path}: no such file; expected a promptfoo YAML config or test list");
            }

            var output = parse.GetValue(outOpt) is { } target ? OutputFile.Check(target, "--out") : null;
            output?.RefuseStdout(ctx.Output.IsJson);
            var result = PromptfooImporter.Convert(PromptfooFiles.Read(path) ?? throw new BadInputException($"{path}: no such file"), path, PromptfooFiles.OnDisk(path));
            if (result.Cases.Count == 0)
            {
                foreach (var note in result.NotConverted)
                {
                    ctx.Output.Note("not converted: " + note);
                }

                throw new BadInputException($"{path}: no test could be converted");
            }

            // Check our own output with the dataset reader, so an import never writes a dataset that fails later.
            var jsonl = result.ToJsonLines();
            // (Its line numbers are the converted dataset's, not the config's: named so.)
            await DatasetReader.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(jsonl)), path, $"(the dataset converted from {path})", ct);
            var outPath = output?.Path;
            if (output is not null)
            {
                await output.WriteAsync(jsonl, ct);
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { @out = outPath, cases = result.Cases.Count, scorers = result.Scorers, not_converted = result.NotConverted, dataset = outPath is null ? jsonl : null });
                return ExitCodes.Ok;
            }

            if (outPath is null)
            {
                await ctx.Env.Stdout.WriteAsync(jsonl);
            }
            else
            {
                ctx.Output.Line($"Wrote {result.Cases.Count} case(s) to {outPath}.");
            }

            var report = outPath is null ? (Action<string>)ctx.Output.Note : s => ctx.Output.Line(s);
            report("");
            if (result.ScorersYaml() is { } snippet)
            {
                report("Add these scorers to glidepath.yaml:");
                report(snippet.TrimEnd());
            }
            else
            {
                report("No scorers to add: no assertion was converted. Choose scorers for eval.scorers in glidepath.yaml (docs/eval.md): with none, eval run and gate refuse to start (exit 2).");
            }
            if (result.NotConverted.Count > 0)
            {
                report("");
                report($"Not converted ({result.NotConverted.Count}):");
                foreach (var note in result.NotConverted)
                {
                    report("  - " + note);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
