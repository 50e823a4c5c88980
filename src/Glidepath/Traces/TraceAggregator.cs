namespace Glidepath.Traces;

/// <summary>Folds trace records into per (environment, release, arm, minute) aggregate deltas.</summary>
public static class TraceAggregator
{
    public static IReadOnlyList<TraceAggregateDelta> Aggregate(IEnumerable<TraceRecord> traces)
    {
        var rows = new Dictionary<(string, string, string, string, DateTimeOffset), TraceAggregateDelta>();
        foreach (var t in traces)
        {
            var utc = t.StartedAt.ToUniversalTime();
            var minute = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
            var key = (t.App, t.Environment, t.ReleaseId, t.Arm, minute);
            if (!rows.TryGetValue(key, out var row))
            {
                row = new TraceAggregateDelta { App = t.App, Environment = t.Environment, ReleaseId = t.ReleaseId, Arm = t.Arm, Minute = minute };
                rows[key] = row;
            }

            var log = Math.Log(Math.Max(t.LatencyMs, 0.001));
            row.Count++;
            row.Errors += t.IsError ? 1 : 0;
            row.LatencyMsSum += t.LatencyMs;
            row.LogLatencySum += log;
            row.LogLatencySquares += log * log;
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
            row.LatencyHistogram[LatencyBuckets.IndexOf(t.LatencyMs)]++;
        }

        return [.. rows.Values];
    }
}
