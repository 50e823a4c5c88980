using Glidepath.Traces;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// A store written before one vote per trace was kept may hold a flood of votes on one trace: the judge's sums read
/// only each trace's latest vote, so the flood weighs one vote.
/// </summary>
public sealed class FeedbackFloodTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ArmStats_OlderStoreWithAFloodOnOneTrace_CountsItsLatestVoteOnly()
    {
        await using var file = await TempSqliteFile.CreateAsync();
        await file.Store.Traces.WriteBatchAsync(
        [
            new TraceRecord
            {
                TraceId = "0123456789abcdef0123456789abcdef", App = "app", Environment = "production", ReleaseId = "r2", Arm = "canary",
                StartedAt = T0, Api = "openai", Status = 200, LatencyMs = 10, OverheadMs = 1,
            },
        ], default);

        // As an older gateway stored them: every anonymous vote kept, 2,000 of -1, then one +1.
        await using (var connection = new SqliteConnection($"Data Source={file.DbPath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tx = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO trace_feedback (trace_id, score, comment, created_at) VALUES ('0123456789abcdef0123456789abcdef', $s, NULL, '2026-12-03T09:00:01.0000000+00:00')";
            var score = insert.Parameters.Add("$s", SqliteType.Real);
            for (var i = 0; i <= 2000; i++)
            {
                score.Value = i < 2000 ? -1.0 : 1.0;
                await insert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }

        var canary = Assert.Single(await file.Store.Traces.ArmStatsAsync("app", "production", T0.AddMinutes(-1), null, default));

        Assert.Equal((1L, 1L), (canary.FeedbackCount, canary.FeedbackPositive));
    }
}
