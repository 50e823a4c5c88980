namespace Glidepath.Traces;

/// <summary>
/// Folds trace records into per (environment, release, arm, minute, subject group) aggregate deltas. Latency and cost
/// are summed over answered requests only: an error's latency says how fast it failed, not how fast the release
/// answers, and a failed call (cost 0, or a cut stream's estimate) would make a failing release look cheaper per call.
/// A request the caller closed before the answer ended (499) is not answered either: it is counted as a request and as
/// cancelled, in no latency or cost sum. Refused requests (the caller's mistakes, see <see cref="IsRefusal"/>) are left
/// out. Time to first token is summed over streams that produced one and did not fail: answered, or closed by the
/// caller after their first token; a whole answer has none, and a stream that failed is an error.
/// </summary>
public static class TraceAggregator
{
    public static IReadOnlyList<TraceAggregateDelta> Aggregate(IEnumerable<TraceRecord> traces)
    {
        var rows = new Dictionary<(string, string, string, string, DateTimeOffset, int), TraceAggregateDelta>();
        foreach (var t in traces)
        {
            if (IsRefusal(t))
            {
                continue;
            }

            var minute = MinuteOf(t.StartedAt);
            var group = SubjectGroups.Of(t.SubjectHash, t.TraceId);
            var key = (t.App, t.Environment, t.ReleaseId, t.Arm, minute, group);
            if (!rows.TryGetValue(key, out var row))
            {
                row = new TraceAggregateDelta { App = t.App, Environment = t.Environment, ReleaseId = t.ReleaseId, Arm = t.Arm, Minute = minute, Group = group };
                rows[key] = row;
            }

            row.Count++;

            // retry_rate is over calls that did not end in an error a caller's request alone can cause on one arm (a
            // refusal, a timeout on every attempt): those are error_rate's to judge, and requests only stable times out on,
            // sent on purpose, would otherwise lower the canary's retry_rate against stable (outside trial attacker3).
            if (t.Attempts > 0 && !t.IsOneArmError)
            {
                row.ProviderCalls++;
                row.RetriedCalls += t.Attempts > 1 ? 1 : 0;
            }

            if (t.IsError)
            {
                row.Errors++;
                row.OneArmErrors += t.IsOneArmError ? 1 : 0;
            }
            else if (t.IsCancelled)
            {
                // The caller left before the answer ended: its latency is how long they waited and its cost a partial
                // estimate, so a canary whose answers users give up on would look fast and cheap (outside trial sdkapp2:
                // a canary 4.84x slower, every stream abandoned, showed latency x1.23 and cost x0.70). It is counted in
                // cancel_rate instead. Its first token, when it had one, was delivered: first_token_latency keeps it.
                row.Cancelled++;
                AddFirstToken(row, t);
            }
            else
            {
                var log = Math.Log(Math.Max(t.LatencyMs, 0.001));
                row.LatencyCount++;
                row.LatencyMsSum += t.LatencyMs;
                row.LogLatencySum += log;
                row.LogLatencySquares += log * log;
                row.LatencyHistogram[LatencyBuckets.IndexOf(t.LatencyMs)]++;
                row.CostSum += t.CostUsd;
                row.CostSquares += t.CostUsd * t.CostUsd;
                AddFirstToken(row, t);
            }

            row.InputTokens += t.InputTokens;
            row.OutputTokens += t.OutputTokens;
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

    private static void AddFirstToken(TraceAggregateDelta row, TraceRecord t)
    {
        if (t is { Stream: true, TimeToFirstTokenMs: { } ttft })
        {
            var first = Math.Log(Math.Max(ttft, 0.001));
            row.FirstTokenCount++;
            row.LogFirstTokenSum += first;
            row.LogFirstTokenSquares += first * first;
        }
    }

    /// <summary>The start of the UTC minute <paramref name="instant"/> falls in: the minute of an aggregate row.</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>
    /// A request the gateway refused as the caller's mistake (400–498 other than 429 and a 408 that is not such a refusal:
    /// bad body, a body sent too slowly, wrong content type, forbidden probe). It stays in the traces table but counts neither as a request nor as an error of the release, so
    /// a caller cannot move an arm's error rate (up or, by dilution, down) or its request count by sending garbage.
    /// </summary>
    public static bool IsRefusal(TraceRecord trace) => trace.Status is >= 400 and < 499 && !trace.IsError;
}
