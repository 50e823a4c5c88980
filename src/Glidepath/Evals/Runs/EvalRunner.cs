using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Glidepath.Evals.Datasets;
using Glidepath.Models;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Runs;

/// <summary>
/// Runs cases × trials × releases with bounded concurrency, interleaving the releases case by case so that
/// provider drift hits every side. Each result is persisted as soon as it finishes (through one batching
/// writer), so a cancelled or crashed run resumes without repeating finished work (an errored trial is asked again).
/// </summary>
public sealed class EvalRunner(IEvalRunStore store, ScorerSet scorers, TimeProvider time)
{
    /// <summary>Called after each finished result (from worker threads).</summary>
    public Action<RunProgress>? Progress { get; init; }

    /// <summary>
    /// Runs what is left of <paramref name="run"/>, reading <paramref name="cases"/> as it goes (never all of them at once),
    /// and returns each target's summary over the whole run, results saved before a resume included.
    /// </summary>
    public async Task<IReadOnlyList<RunSummary>> RunAsync(EvalRun run, IAsyncEnumerable<EvalCase> cases, IReadOnlyList<IEvalTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(targets);
        var summaries = targets.Select(t => new RunSummaryBuilder(t.ReleaseId)).ToArray();
        var done = new HashSet<TrialKey>();
        await foreach (var saved in store.ReadResultsAsync(run.Id, notPassedOnly: false, cancellationToken).ConfigureAwait(false))
        {
            // An errored trial is no measurement (a timeout, a 5xx, a judge answer without a score): a resume asks it again,
            // and the store puts the new result in its place. Kept, a run whose errors had gone could only end in exit 3.
            if (saved.Status == TrialStatus.Error)
            {
                continue;
            }

            done.Add(saved.Key);
            Summarize(summaries, saved);
        }

        var total = run.CaseCount * run.Trials * targets.Count;
        var counters = new int[4];
        counters[0] = done.Count;
        var started = time.GetTimestamp();
        var channel = Channel.CreateUnbounded<TrialResult>(new UnboundedChannelOptions { SingleReader = true });
        var spent = new List<JudgeSpend>();
        var stopped = new StoppedJudgeCalls();
        var writer = Task.Run(() => WriteAsync(run.Id, channel.Reader, summaries, spent), CancellationToken.None);

        // One reader fetches the cases ahead (a bounded queue), so the workers never wait in line on the dataset file.
        var concurrency = Math.Max(1, run.Concurrency);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = Channel.CreateBounded<(EvalCase Case, int Trial, IEvalTarget Target)>(new BoundedChannelOptions(2 * concurrency) { SingleWriter = true });
        var reading = Task.Run(() => ReadAheadAsync(Work(cases, run.Trials, targets, done, stopReading.Token), queue.Writer, stopReading.Token), CancellationToken.None);
        try
        {
            await Parallel.ForEachAsync(queue.Reader.ReadAllAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    if (writer.IsFaulted)
                    {
                        await writer.ConfigureAwait(false);
                    }

                    var result = await RunOneAsync(run, item.Case, item.Trial, item.Target, stopped, ct).ConfigureAwait(false);
                    channel.Writer.TryWrite(result);
                    var completed = Interlocked.Increment(ref counters[0]);
                    Interlocked.Increment(ref counters[1 + (int)result.Status]);
                    Progress?.Invoke(new RunProgress(completed, total, Volatile.Read(ref counters[1]), Volatile.Read(ref counters[2]), Volatile.Read(ref counters[3]), time.GetElapsedTime(started)));
                }).ConfigureAwait(false);
        }
        finally
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);

            // Whatever finished is saved, also when cancelled.
            channel.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            await stopped.SaveAsync(store, run.Id).ConfigureAwait(false);
        }

        // The judge's figures are the whole run's (what earlier processes spent, as the run was read, and this one's): an
        // errored trial's answer that a resume replaced was paid for all the same.
        var runSpend = run.JudgeSpend is null ? null : JudgeSpend.Merge(run.JudgeSpend, spent);
        return [.. summaries.Select(s => s.Build().WithJudgeSpend(runSpend))];
    }

    /// <summary>Fills the queue from <paramref name="work"/> until the run stops it; a failure to read (the dataset changed) ends the queue with it, and so the run.</summary>
    private static async Task ReadAheadAsync<T>(IAsyncEnumerable<T> work, ChannelWriter<T> queue, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in work.ConfigureAwait(false))
            {
                await queue.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            }

            queue.TryComplete();
        }
        catch (Exception ex)
        {
            queue.TryComplete(ex);
        }
    }

    /// <summary>Each case × trial × target not already done, in case order.</summary>
    private static async IAsyncEnumerable<(EvalCase Case, int Trial, IEvalTarget Target)> Work(
        IAsyncEnumerable<EvalCase> cases, int trials, IReadOnlyList<IEvalTarget> targets, HashSet<TrialKey> done, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var c in cases.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            for (var trial = 0; trial < trials; trial++)
            {
                foreach (var target in targets)
                {
                    if (!done.Contains(new TrialKey(target.ReleaseId, c.Id, trial)))
                    {
                        yield return (c, trial, target);
                    }
                }
            }
        }
    }

    private static void Summarize(RunSummaryBuilder[] summaries, TrialResult result)
    {
        foreach (var summary in summaries)
        {
            if (summary.ReleaseId == result.ReleaseId)
            {
                summary.Add(result);
                return;
            }
        }
    }

    /// <summary>A trial errored without the release's answer: its call failed, or it was refused before it.</summary>
    private TrialResult Unanswered(string runId, EvalCase c, int trial, IEvalTarget target, string? error) => new()
    {
        RunId = runId,
        ReleaseId = target.ReleaseId,
        CaseId = c.Id,
        Trial = trial,
        Status = TrialStatus.Error,
        Error = error,
        FinishedAt = time.GetUtcNow(),
        Cached = false,
    };

    private async Task<TrialResult> RunOneAsync(EvalRun run, EvalCase c, int trial, IEvalTarget target, StoppedJudgeCalls stopped, CancellationToken cancellationToken)
    {
        // A judge whose spend limit has no room for this trial's score would refuse it: the release is not asked either
        // (before, every remaining trial still paid for the release's answer; found by trial gatejudge), and no more trials
        // ask it at once than the judge can score (trial gatejudge3 L1).
        var (admission, refused) = await scorers.AdmitAsync(cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return Unanswered(run.Id, c, trial, target, CaseScore.Combine(refused).Error) with { Scores = refused };
        }

        using (admission)
        {
            admission!.Enter();
            return await AnsweredAsync(run, c, trial, target, stopped, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TrialResult> AnsweredAsync(EvalRun run, EvalCase c, int trial, IEvalTarget target, StoppedJudgeCalls stopped, CancellationToken cancellationToken)
    {
        var runId = run.Id;

        TargetResponse answer;
        try
        {
            answer = await target.InvokeAsync(c, trial, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.BadInputException ex)
        {
            // The case cannot be asked as written (a template variable nobody set, …): every case like it would fail the
            // same way, and no result would be worth keeping. The run stops here with exit 2, naming the case.
            throw new Errors.BadInputException($"{run.DatasetPath}:{c.Line}: case '{c.Id}': {ex.Message}", ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(runId, c, trial, target, $"the model call failed: {Describe(ex)}") with { TransientError = Errors.TransientFailure.Of(ex) };
        }

        // Scored under the run's token: a stop interrupts an llm_judge call as it does a model call. (Scored under none, as
        // until 2026-12-06, a Ctrl-C waited for the judge's provider timeout, up to 4 minutes with its retries, and saved the
        // trial as a timeout error that --resume then skipped.) The interrupted trial is not saved, so --resume asks it again;
        // a run with the response cache keeps the model's answer there, so only the judge is asked again.
        IReadOnlyList<ScoreOutcome> outcomes;
        try
        {
            outcomes = await scorers.ScoreAsync(answer.Request, answer.Response, c, trial, answer.LatencyMs, answer.CostUsd, cancellationToken).ConfigureAwait(false);
        }
        catch (JudgeCallStoppedException cut)
        {
            stopped.Add(target.ReleaseId, cut);
            throw;
        }

        var combined = CaseScore.Combine(outcomes);
        if (combined.Status == TrialStatus.Error && cancellationToken.IsCancellationRequested)
        {
            // An error that ends as the run stops may be the stop itself (a scorer of one's own that turns cancellation into
            // an error): not a result. Resumed, the trial runs again; a judge call of it that got no answer is still counted.
            stopped.AddUnanswered(target.ReleaseId, outcomes);
            throw new OperationCanceledException(cancellationToken);
        }

        var usage = answer.Response.Usage;
        return new TrialResult
        {
            RunId = runId,
            ReleaseId = target.ReleaseId,
            CaseId = c.Id,
            Trial = trial,
            Status = combined.Status,
            Score = combined.Score,
            Output = answer.Response.Text,
            ToolCalls = answer.Response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
                .Select(f => $"{f.Name}({ToolArguments.ToJson(f.Arguments)})").ToList(),
            LatencyMs = answer.LatencyMs,
            CostUsd = answer.CostUsd,
            InputTokens = usage?.InputTokenCount,
            OutputTokens = usage?.OutputTokenCount,
            Scores = outcomes,
            Error = combined.Error,
            TransientError = combined.Transient,
            FinishedAt = time.GetUtcNow(),
            Cached = answer.Response.AdditionalProperties?.ContainsKey(ModelResponseProperties.Cached) == true,
        };
    }

    /// <summary>
    /// The one reader of finished results: saves them in batches and adds them to the summaries. What their judge answers
    /// cost is added to the run's spend first (and to <paramref name="spent"/>), so a crash between the two never loses a
    /// billed answer from the count.
    /// </summary>
    private async Task WriteAsync(string runId, ChannelReader<TrialResult> reader, RunSummaryBuilder[] summaries, List<JudgeSpend> spent)
    {
        var batch = new List<TrialResult>(256);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < 500 && reader.TryRead(out var r))
            {
                batch.Add(r);
                Summarize(summaries, r);
            }

            try
            {
                if (JudgeSpend.Of(batch) is { Count: > 0 } spend)
                {
                    await store.AddJudgeSpendAsync(runId, spend, CancellationToken.None).ConfigureAwait(false);
                    var total = JudgeSpend.Merge(spent, spend);
                    spent.Clear();
                    spent.AddRange(total);
                }

                await store.SaveResultsAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not Errors.GlidepathException)
            {
                throw new Errors.OperationalException($"cannot save eval results to the store: {ex.Message}", ex);
            }

            batch.Clear();
        }
    }

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null && message.Length < 300; inner = inner.InnerException)
        {
            message += $" ({inner.Message})";
        }

        Debug.Assert(message.Length > 0, "exceptions carry a message");

        // Our own exceptions are written for people ("model provider 'openai' failed: …"): their type name is noise. An
        // exception from elsewhere (a custom client's) keeps its type, the only clue to what threw it.
        return ex is Errors.GlidepathException ? message : $"{ex.GetType().Name}: {message}";
    }
}
