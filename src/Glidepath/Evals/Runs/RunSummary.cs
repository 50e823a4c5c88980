using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Runs;

/// <summary>Per-release totals of a run: outcomes, pass rate, mean score, latency percentiles and cost.</summary>
public sealed record RunSummary
{
    public required string ReleaseId { get; init; }
    public required int Cases { get; init; }
    public required int Trials { get; init; }
    public required int Passed { get; init; }
    public required int Failed { get; init; }
    public required int Errors { get; init; }
    public required double PassRate { get; init; }
    public required double MeanScore { get; init; }
    public required double LatencyP50Ms { get; init; }
    public required double LatencyP95Ms { get; init; }
    public double? CostUsd { get; init; }

    public static IReadOnlyList<RunSummary> Of(IEnumerable<TrialResult> results, IEnumerable<string> releaseIds)
    {
        var byRelease = results.GroupBy(r => r.ReleaseId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return releaseIds.Select(id => Of(id, byRelease.TryGetValue(id, out var list) ? list : [])).ToList();
    }

    private static RunSummary Of(string releaseId, List<TrialResult> list)
    {
        var latencies = list.Where(r => r.Status != TrialStatus.Error).Select(r => r.LatencyMs).Order().ToArray();
        var scored = list.Where(r => r.Score is not null).ToList();
        return new RunSummary
        {
            ReleaseId = releaseId,
            Cases = list.Select(r => r.CaseId).Distinct(StringComparer.Ordinal).Count(),
            Trials = list.Count,
            Passed = list.Count(r => r.Status == TrialStatus.Pass),
            Failed = list.Count(r => r.Status == TrialStatus.Fail),
            Errors = list.Count(r => r.Status == TrialStatus.Error),
            PassRate = list.Count == 0 ? 0 : (double)list.Count(r => r.Status == TrialStatus.Pass) / list.Count,
            MeanScore = scored.Count == 0 ? 0 : scored.Average(r => r.Score!.Value),
            LatencyP50Ms = Percentile(latencies, 0.5),
            LatencyP95Ms = Percentile(latencies, 0.95),
            CostUsd = list.Any(r => r.CostUsd is not null) ? list.Sum(r => r.CostUsd ?? 0) : null,
        };
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1 < 0 ? 0 : (int)Math.Ceiling(q * sorted.Length) - 1)];
}
