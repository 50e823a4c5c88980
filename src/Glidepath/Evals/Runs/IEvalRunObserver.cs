namespace Glidepath.Evals.Runs;

/// <summary>Hears what a run does while it executes, e.g. to draw a progress bar. Called on worker threads during <see cref="Progress"/>.</summary>
public interface IEvalRunObserver
{
    /// <summary>The run is about to call models; <paramref name="alreadyDone"/> results were saved by an earlier, stopped attempt.</summary>
    void Executing(EvalRun run, int alreadyDone, EvalConcurrency concurrency);

    void Progress(RunProgress progress);

    /// <summary>Every trial finished and the run is marked finished.</summary>
    void Executed(EvalRun run);

    /// <summary>The run was stopped, its finished results are saved and it is marked cancelled, so it can be resumed.</summary>
    void Cancelled(EvalRun run);

    /// <summary>
    /// The run stopped on bad input (a case that cannot be asked as written, a dataset changed since the start): its
    /// finished results are saved and it is marked stopped, so it can be resumed once the cause is fixed.
    /// </summary>
    void Stopped(EvalRun run)
    {
    }
}
