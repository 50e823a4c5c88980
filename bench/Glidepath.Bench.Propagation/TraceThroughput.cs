using System.Diagnostics;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Bench.Propagation;

/// <summary>One writer (as one gateway's trace writer): batches of 500 distinct traces for a fixed time; traces per second.</summary>
internal static class TraceThroughput
{
    public static async Task<double> RunAsync(ITraceStore traces, TimeSpan duration)
    {
        var random = new Random(16);
        long written = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var batch = new List<TraceRecord>(500);
            for (var i = 0; i < 500; i++)
            {
                batch.Add(new TraceRecord
                {
                    TraceId = Guid.NewGuid().ToString("N"),
                    App = "support-agent",
                    Environment = "production",
                    ReleaseId = i % 10 == 0 ? "canary-release" : "stable-release",
                    Arm = i % 10 == 0 ? "canary" : "stable",
                    SubjectHash = random.NextInt64().ToString("x16"),
                    StartedAt = DateTimeOffset.UtcNow,
                    Api = "openai",
                    Model = "claude-sonnet-4-5",
                    Status = 200,
                    LatencyMs = 200 + (random.NextDouble() * 800),
                    TimeToFirstTokenMs = 80,
                    OverheadMs = 0.3,
                    InputTokens = 600,
                    OutputTokens = 150,
                    CostUsd = 0.004,
                    FinishReason = "stop",
                });
            }

            await traces.WriteBatchAsync(batch, default);
            written += batch.Count;
        }

        return written / clock.Elapsed.TotalSeconds;
    }
}
