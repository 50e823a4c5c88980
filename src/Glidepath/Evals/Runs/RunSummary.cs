namespace Glidepath.Evals.Runs;

/// <summary>
/// Per-release totals of a run: outcomes, pass rate, mean score, latency percentiles, cost, and the judge's calls and cost. A figure nothing was
/// measured for is null, not 0: a run whose every trial errored has no pass rate, mean score or latency (as an unpriced
/// run has no cost), so a reader can tell "0% passed" from "nothing was scored".
/// </summary>
public sealed record RunSummary
{
    public required string ReleaseId { get; init; }
    public required int Cases { get; init; }
    public required int Trials { get; init; }
    public required int Passed { get; init; }
    public required int Failed { get; init; }
    public required int Errors { get; init; }

    /// <summary>
    /// Passed trials over the scored ones (passed or failed), as <see cref="MeanScore"/>: an errored trial was not measured
    /// and is in neither (it is counted in <see cref="Errors"/>); null when no trial passed or failed (none, or every one errored).
    /// </summary>
    public required double? PassRate { get; init; }

    /// <summary>The mean score of the scored trials (passed or failed); null when none was scored.</summary>
    public required double? MeanScore { get; init; }

    /// <summary>Latency percentiles of the trials that did not error; null when every trial errored.</summary>
    public required double? LatencyP50Ms { get; init; }

    public required double? LatencyP95Ms { get; init; }
    public double? CostUsd { get; init; }

    /// <summary>
    /// Calls this run made to its <c>llm_judge</c> models, not served from the response cache: every answer, one that could
    /// not be read (an error) and one whose trial a resume asked again included (<see cref="EvalRun.JudgeSpend"/>).
    /// </summary>
    public int JudgeCalls { get; init; }

    /// <summary>
    /// What the run's judge answers for this release cost, priced as <see cref="CostUsd"/> is (an answer served from the
    /// cache counts at what it cost when given, as the model's do), the same answers as <see cref="JudgeCalls"/>; null when
    /// no judge answer was priced.
    /// </summary>
    public double? JudgeCostUsd { get; init; }

    /// <summary>
    /// Judge calls under <c>max_spend_usd</c> that got no answer (timeouts, dropped connections; <see cref="JudgeSpend.UnansweredCalls"/>):
    /// in neither <see cref="JudgeCalls"/> nor <see cref="JudgeCostUsd"/>, though a provider may have billed them.
    /// </summary>
    public int JudgeUnansweredCalls { get; init; }

    /// <summary>What the cap counted <see cref="JudgeUnansweredCalls"/> at, each at the dearest call known then: an estimate, not a bill.</summary>
    public double JudgeUnansweredUsd { get; init; }

    /// <summary>Trials whose answer came from the response cache, of those this process ran (not in the JSON view).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int CachedAnswers { get; init; }

    /// <summary>Trials read back from the store (run by an earlier process, before a resume): whether their answers were cached is not kept.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int CacheUnknown { get; init; }

    /// <summary>One summary per release id, in that order, of <paramref name="results"/> (a release without results has an empty one).</summary>
    /// <param name="judgeSpend">The run's <see cref="EvalRun.JudgeSpend"/>: the judge figures are the run's, not those of the results left; null: of the results.</param>
    public static IReadOnlyList<RunSummary> Of(IEnumerable<TrialResult> results, IEnumerable<string> releaseIds, IReadOnlyList<JudgeSpend>? judgeSpend = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var builders = releaseIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => new RunSummaryBuilder(id), StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (builders.TryGetValue(result.ReleaseId, out var builder))
            {
                builder.Add(result);
            }
        }

        return releaseIds.Select(id => builders[id].Build().WithJudgeSpend(judgeSpend)).ToList();
    }

    /// <summary>
    /// This summary with the judge's calls and cost of the run's whole <paramref name="spend"/> for its release (every
    /// process of the run, answers whose results a resume replaced included); unchanged when <paramref name="spend"/> is
    /// null (a run stored before the spend was kept, whose results are all there is to go by).
    /// </summary>
    public RunSummary WithJudgeSpend(IReadOnlyList<JudgeSpend>? spend)
    {
        if (spend is null)
        {
            return this;
        }

        var (calls, cost, unanswered, estimate) = JudgeSpend.For(spend, ReleaseId);
        return this with { JudgeCalls = calls, JudgeCostUsd = cost, JudgeUnansweredCalls = unanswered, JudgeUnansweredUsd = estimate };
    }
}
