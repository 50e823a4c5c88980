using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Runs;

/// <summary>
/// Runs cases × trials × releases with bounded concurrency, interleaving the releases case by case so that
/// provider drift hits every side. Each result is persisted as soon as it finishes (through one batching
/// writer), so a cancelled or crashed run resumes without repeating finished work.
/// </summary>
public sealed class EvalRunner(IEvalRunStore store, ScorerSet scorers, TimeProvider time)
{
    /// <summary>Called after each finished result (from worker threads).</summary>
    public Action<RunProgress>? Progress { get; init; }

    public async Task RunAsync(EvalRun run, IReadOnlyList<EvalCase> cases, IReadOnlyList<IEvalTarget> targets, CancellationToken cancellationToken)
    {
        var done = await store.CompletedAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var work = new List<(EvalCase Case, int Trial, IEvalTarget Target)>();
        foreach (var c in cases)
        {
            for (var trial = 0; trial < run.Trials; trial++)
            {
                foreach (var target in targets)
                {
                    if (!done.Contains(new TrialKey(target.ReleaseId, c.Id, trial)))
                    {
                        work.Add((c, trial, target));
                    }
                }
            }
        }

        var total = cases.Count * run.Trials * targets.Count;
        var counters = new int[4];
        counters[0] = total - work.Count;
        var started = time.GetTimestamp();
        var channel = Channel.CreateUnbounded<TrialResult>(new UnboundedChannelOptions { SingleReader = true });
        var writer = Task.Run(() => WriteAsync(channel.Reader), CancellationToken.None);
        try
        {
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, run.Concurrency), CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    if (writer.IsFaulted)
                    {
                        await writer.ConfigureAwait(false);
                    }

                    var result = await RunOneAsync(run.Id, item.Case, item.Trial, item.Target, ct).ConfigureAwait(false);
                    channel.Writer.TryWrite(result);
                    var completed = Interlocked.Increment(ref counters[0]);
                    Interlocked.Increment(ref counters[1 + (int)result.Status]);
                    Progress?.Invoke(new RunProgress(completed, total, Volatile.Read(ref counters[1]), Volatile.Read(ref counters[2]), Volatile.Read(ref counters[3]), time.GetElapsedTime(started)));
                }).ConfigureAwait(false);
        }
        finally
        {
            // Whatever finished is saved, also when cancelled.
            channel.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }
    }

    private async Task<TrialResult> RunOneAsync(string runId, EvalCase c, int trial, IEvalTarget target, CancellationToken cancellationToken)
    {
        TargetResponse answer;
        try
        {
            answer = await target.InvokeAsync(c, trial, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new TrialResult
            {
                RunId = runId,
                ReleaseId = target.ReleaseId,
                CaseId = c.Id,
                Trial = trial,
                Status = TrialStatus.Error,
                Error = $"the model call failed: {Describe(ex)}",
                FinishedAt = time.GetUtcNow(),
            };
        }

        // The answer is paid for: score it even if a stop was requested meanwhile, so it is not repeated.
        var outcomes = await scorers.ScoreAsync(answer.Request, answer.Response, c, answer.LatencyMs, answer.CostUsd, CancellationToken.None).ConfigureAwait(false);
        var combined = CaseScore.Combine(outcomes);
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
                .Select(f => $"{f.Name}({JsonSerializer.Serialize(f.Arguments ?? new Dictionary<string, object?>())})").ToList(),
            LatencyMs = answer.LatencyMs,
            CostUsd = answer.CostUsd,
            InputTokens = usage?.InputTokenCount,
            OutputTokens = usage?.OutputTokenCount,
            Scores = outcomes,
            Error = combined.Error,
            FinishedAt = time.GetUtcNow(),
        };
    }

    private async Task WriteAsync(ChannelReader<TrialResult> reader)
    {
        var batch = new List<TrialResult>(256);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < 500 && reader.TryRead(out var r))
            {
                batch.Add(r);
            }

            try
            {
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
        return $"{ex.GetType().Name}: {message}";
    }
}
