namespace Glidepath.Traces;

/// <summary>
/// Folds trace records into per (environment, release, arm, minute, subject group) aggregate deltas. Latency is
/// summed over answered requests only: an error's latency says how fast it failed, not how fast the release answers.
/// </summary>
public static class TraceAggregator
{
    public static IReadOnlyList<TraceAggregateDelta> Aggregate(IEnumerable<TraceRecord> traces)
    {
        var rows = new Dictionary<(string, string, string, string, DateTimeOffset, int), TraceAggregateDelta>();
        foreach (var t in traces)
        {
            var utc = t.StartedAt.ToUniversalTime();
            var minute = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
            var group = SubjectGroups.Of(t.SubjectHash, t.TraceId);
            var key = (t.App, t.Environment, t.ReleaseId, t.Arm, minute, group);
            if (!rows.TryGetValue(key, out var row))
            {
                row = new TraceAggregateDelta { App = t.App, Environment = t.Environment, ReleaseId = t.ReleaseId, Arm = t.Arm, Minute = minute, Group = group };
                rows[key] = row;
            }

            row.Count++;
            if (t.IsError)
            {
                row.Errors++;
            }
            else
            {
                var log = Math.Log(Math.Max(t.LatencyMs, 0.001));
                row.LatencyCount++;
                row.LatencyMsSum += t.LatencyMs;
                row.LogLatencySum += log;
                row.LogLatencySquares += log * log;
                row.LatencyHistogram[LatencyBuckets.IndexOf(t.LatencyMs)]++;
            }

            row.InputTokens += t.InputTokens;
            row.OutputTokens += t.OutputTokens;
            row.CostSum += t.CostUsd;
            row.CostSquares += t.CostUsd * t.CostUsd;
            if (t.OnlineScore is { } online)
            {
                row.OnlineScored++;
                row.OnlinePassed += t.OnlinePassed == true ? 1 : 0;
                row.OnlineScoreSum += online;
                row.OnlineScoreSquares += online * online;
            }
        }

        return [.. rows.Values];
    }
}
