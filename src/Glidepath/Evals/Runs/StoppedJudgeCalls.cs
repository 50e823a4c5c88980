using System.Collections.Concurrent;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>
/// The judge calls under <c>max_spend_usd</c> that got no answer in trials the run's stop (Ctrl-C) cut off. Those trials are
/// not saved (<c>--resume</c> asks them again), so nothing else records the calls; the cap counted each at the dearest call
/// known, since the provider may have billed it all the same, and the run's stored spend adds them when the runner ends
/// (<see cref="JudgeSpend.UnansweredCalls"/>), so a resume's cap starts from them as from a call that timed out.
/// </summary>
internal sealed class StoppedJudgeCalls
{
    private readonly ConcurrentQueue<JudgeSpend> _calls = new();

    /// <summary>A judge call cut off in flight, in a trial of <paramref name="releaseId"/>.</summary>
    public void Add(string releaseId, JudgeCallStoppedException cut) =>
        _calls.Enqueue(new JudgeSpend(releaseId, cut.Scorer) { UnansweredCalls = 1, UnansweredUsd = cut.UnansweredUsd });

    /// <summary>The calls of a trial thrown away as the run stopped whose judges' errors say they got no answer (<see cref="JudgeUsage.UnansweredUsdKey"/>).</summary>
    public void AddUnanswered(string releaseId, IReadOnlyList<ScoreOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (JudgeUsage.TryReadUnanswered(outcome.Metadata, out var usd))
            {
                _calls.Enqueue(new JudgeSpend(releaseId, outcome.Scorer) { UnansweredCalls = 1, UnansweredUsd = usd });
            }
        }
    }

    /// <summary>Adds the calls to the run's stored spend, once no trial runs any more; a store that cannot is an operational error.</summary>
    public async Task SaveAsync(IEvalRunStore store, string runId)
    {
        if (_calls.IsEmpty)
        {
            return;
        }

        try
        {
            await store.AddJudgeSpendAsync(runId, JudgeSpend.Merge(null, [.. _calls]), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not Errors.GlidepathException)
        {
            throw new Errors.OperationalException($"cannot save to the store the judge calls the stop cut off: {ex.Message}", ex);
        }
    }
}
