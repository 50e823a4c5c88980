using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Commands;

/// <summary>What a run says on stderr while it executes: the dataset's warnings, the concurrency that applies, a progress bar, and on Ctrl-C how to resume.</summary>
/// <param name="resume">The command that resumes the run, with the options the run needs.</param>
/// <param name="spendLimitReached">Which judge's <c>max_spend_usd</c> is reached, or null (<see cref="Glidepath.Evals.Scorers.ScorerSet.SpendLimitReached"/>).</param>
internal sealed class RunNotes(CliContext ctx, ResumeLine resume, Func<string?>? spendLimitReached = null) : IEvalRunObserver
{
    private RunProgressPrinter? _printer;

    public void Executing(EvalRun run, int alreadyDone, EvalConcurrency concurrency)
    {
        _printer = new RunProgressPrinter(ctx.Env.Stderr, RunProgressPrinter.IsInteractive(ctx.Env), ctx.Time, $"run {run.Id}", alreadyDone);
        ctx.Output.Progress = _printer; // a back-off's notice goes on its own line above the bar
        if (alreadyDone > 0)
        {
            ctx.Output.Note($"resuming run {run.Id}: {alreadyDone} of {run.TotalTrials} result(s) already saved are not repeated");
        }

        ctx.Output.Note($"run {run.Id}: {concurrency.Describe()}");
    }

    public void Progress(RunProgress progress) => _printer?.Report(progress);

    public void Executed(EvalRun run) => FinishProgress();

    public void Cancelled(EvalRun run)
    {
        FinishProgress();
        ctx.Resume = resume.For(run);
        ctx.Output.Note($"stopped; finished results are saved. Continue with: {ctx.Resume}{StoreNote()}");
    }

    public void Stopped(EvalRun run)
    {
        FinishProgress();
        ctx.Resume = resume.For(run);
        ctx.Output.Note($"stopped on the error below; finished results are saved. Once it is fixed (a --var, the dataset put back as it was, the provider's API key exported; the run keeps its release and dataset), continue with: {ctx.Resume}{StoreNote()}");
    }

    /// <summary>The command that continues <paramref name="run"/>: after errored trials it asks them again, and only them.</summary>
    public string ResumeCommand(EvalRun run) => resume.For(run);

    /// <summary>
    /// What to do before <see cref="ResumeCommand"/> when a judge's <c>max_spend_usd</c> stopped the run (its <c>resume_after</c>
    /// in JSON): the cap is spent, so the resume would be refused until it is raised; null otherwise.
    /// </summary>
    public string? ResumeAfter() => spendLimitReached?.Invoke() is { } reached
        ? $"raise max_spend_usd in eval.scorers ({reached}); the cap is not part of the scorer version, so the run resumes with its results and its spend"
        : null;

    /// <summary>
    /// After a run that ended with errored trials (exit 3): the exact command that asks them again. Most runs against a real
    /// judge error on a few of thousands of trials, and this is the line they need (trial gatejudge L6: it was printed
    /// only after Ctrl-C). A run the judge's spend cap stopped says to raise it first: no cause goes away by itself there
    /// (trial gatejudge2 M3).
    /// </summary>
    public void Errored(EvalRun run) =>
        ctx.Output.Note(ResumeAfter() is { } after
            ? $"the other results are saved; to ask the errored trials again, {after}; then: {resume.For(run)}{StoreNote()}"
            : $"the other results are saved; to ask only the errored trials again once the cause is gone: {resume.For(run)}{StoreNote()}");

    /// <summary>The dataset check's warnings (input.vars no template uses), each a <c>warning:</c> line on stderr, never on stdout (where --format json writes).</summary>
    public static void Warnings(CliContext ctx, Glidepath.Evals.Datasets.DatasetScan dataset)
    {
        foreach (var warning in dataset.Warnings)
        {
            ctx.Output.Note("warning: " + warning);
        }
    }

    private void FinishProgress()
    {
        _printer?.Finish();
        ctx.Output.Progress = null;
    }

    private string StoreNote() => resume.StoreLeftOut ? " (and the --store you gave, left out here as it holds a password)" : "";
}
