using System.Collections.Concurrent;
using Glidepath.Evals.Runs;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>Records what a run told its observer, in order.</summary>
internal sealed class RecordingObserver : IEvalRunObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public int AlreadyDone { get; private set; } = -1;

    public EvalConcurrency? Concurrency { get; private set; }

    public int ProgressReports;

    public void Executing(EvalRun run, int alreadyDone, EvalConcurrency concurrency)
    {
        AlreadyDone = alreadyDone;
        Concurrency = concurrency;
        Events.Enqueue("executing");
    }

    public void Progress(RunProgress progress) => Interlocked.Increment(ref ProgressReports);

    public void Executed(EvalRun run) => Events.Enqueue("executed");

    public void Cancelled(EvalRun run) => Events.Enqueue("cancelled");

    public void Stopped(EvalRun run) => Events.Enqueue("stopped");
}
