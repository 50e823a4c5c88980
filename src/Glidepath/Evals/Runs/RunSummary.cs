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

    /// <summary>One summary per release id, in that order, of <paramref name="results"/> (a release without results has an empty one).</summary>
    public static IReadOnlyList<RunSummary> Of(IEnumerable<TrialResult> results, IEnumerable<string> releaseIds)
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

        return releaseIds.Select(id => builders[id].Build()).ToList();
    }
}
