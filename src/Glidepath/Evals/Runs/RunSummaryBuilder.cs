using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Runs;

/// <summary>
/// Adds results of one release up as they finish, so a run's summary needs neither every result in memory nor a read
/// back from the store: counts, score sum, cost (the model's and the judge's), one latency per scored trial (for the percentiles) and the case ids seen.
/// Not thread-safe: one writer adds.
/// </summary>
public sealed class RunSummaryBuilder(string releaseId)
{
    private readonly HashSet<string> _cases = new(StringComparer.Ordinal);
    private readonly List<double> _latencies = [];
    private int _trials, _passed, _failed, _errors, _scored, _cached, _cacheUnknown;
    private double _scoreSum;

    // Money is added up in decimal: each call's cost is a price times tokens (a decimal), and a double sum of them read
    // "cost_usd": 0.36830399999999985 for a run that cost $0.368304.
    private decimal _cost;
    private bool _priced;
    private decimal _judgeCost;
    private bool _judgePriced;
    private int _judgeCalls;
    private int _judgeUnanswered;
    private decimal _judgeUnansweredUsd;

    public string ReleaseId => releaseId;

    public void Add(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _cases.Add(result.CaseId);
        _trials++;
        if (result.Cached is not { } cached)
        {
            _cacheUnknown++;
        }
        else if (cached)
        {
            _cached++;
        }

        switch (result.Status)
        {
            case TrialStatus.Pass:
                _passed++;
                break;
            case TrialStatus.Fail:
                _failed++;
                break;
            default:
                _errors++;
                break;
        }

        if (result.Status != TrialStatus.Error)
        {
            _latencies.Add(result.LatencyMs);
        }

        if (result.Status != TrialStatus.Error && result.Score is { } score)
        {
            _scored++;
            _scoreSum += score;
        }

        if (result.CostUsd is { } cost)
        {
            _priced = true;
            _cost += (decimal)cost;
        }

        foreach (var outcome in result.Scores)
        {
            if (JudgeUsage.TryRead(outcome.Metadata, out var judgeCached, out var judgeCost))
            {
                _judgeCalls += judgeCached ? 0 : 1;
                if (judgeCost is { } usd)
                {
                    _judgePriced = true;
                    _judgeCost += usd;
                }
            }
            else if (JudgeUsage.TryReadUnanswered(outcome.Metadata, out var estimate))
            {
                _judgeUnanswered++;
                _judgeUnansweredUsd += estimate;
            }
        }
    }

    public RunSummary Build()
    {
        var latencies = _latencies.ToArray();
        Array.Sort(latencies);
        return new RunSummary
        {
            ReleaseId = releaseId,
            Cases = _cases.Count,
            Trials = _trials,
            Passed = _passed,
            Failed = _failed,
            Errors = _errors,
            PassRate = _passed + _failed == 0 ? null : (double)_passed / (_passed + _failed),
            MeanScore = _scored == 0 ? null : _scoreSum / _scored,
            LatencyP50Ms = Percentile(latencies, 0.5),
            LatencyP95Ms = Percentile(latencies, 0.95),
            CostUsd = _priced ? (double)_cost : null,
            JudgeCalls = _judgeCalls,
            JudgeCostUsd = _judgePriced ? (double)_judgeCost : null,
            JudgeUnansweredCalls = _judgeUnanswered,
            JudgeUnansweredUsd = (double)_judgeUnansweredUsd,
            CachedAnswers = _cached,
            CacheUnknown = _cacheUnknown,
        };
    }

    private static double? Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
