using System.Security.Cryptography;
using System.Text;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Routing;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// Trial netfalse2 M3: for a step its subjects keep undecided (a "never" row) rollout plan printed the false line "not
/// judged (no observations expected): error_rate" and left the catches column empty, and its warning stated "not
/// decidable" as a fact though some honest canaries still end on one side.
/// </summary>
public sealed class RolloutPlanSubjectBoundCliTests
{
    [Fact]
    public async Task Plan_StableUsersWhoseErrorRatesDiffer_NeverRowCatchesAndIsNotCalledUnjudged()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await TrafficAsync(app);

        var (code, stdout, stderr) = await app.RunAsync("rollout", "plan", "--env", "production", "--steps", "50", "--rps", "40");

        Assert.True(code == 0, stderr);
        var row = Assert.Single(stdout.Split('\n'), l => l.StartsWith("50%", StringComparison.Ordinal));
        Assert.Matches(@"^50%\s+never\s+never\s+–\s+error_rate\s+\S+\s+.*error_rate \+0\.\d+", row);
        // The manifest's online metrics have no scorer here, and are rightly listed; error_rate is judged.
        Assert.DoesNotMatch(@"not judged \(no observations expected\):[^\n]*error_rate", stdout);
        Assert.Contains("  catches: a step that is never decided catches by max_duration's end at 40 requests/s", stdout, StringComparison.Ordinal);
        Assert.Contains("error_rate is expected to stay undecided within max_duration", stderr, StringComparison.Ordinal);
        Assert.Contains("one whose estimate wanders far enough to the favourable side is still decided safe and promoted", stderr, StringComparison.Ordinal);
    }

    /// <summary>300 sticky users sending 40 answered requests each now; one in ten fails 30% of them, the rest 1%.</summary>
    private static async Task TrafficAsync(EnvApp app)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        await store.Traces.WriteBatchAsync(
            [.. Enumerable.Range(0, 300 * 40).Select(i =>
            {
                var user = i % 300;
                var failed = random.NextDouble() < (user % 10 == 0 ? 0.3 : 0.01);
                return new TraceRecord
                {
                    TraceId = Glidepath.Testing.TestTraceIds.Of("subject-bound", i),
                    App = "support-agent",
                    Environment = "production",
                    ReleaseId = app.Ids["v1"],
                    Arm = Arm.Stable,
                    StartedAt = now,
                    Api = "openai",
                    SubjectHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"user-{user}"))),
                    Status = failed ? 500 : 200,
                    LatencyMs = 900 + (i % 100),
                    OverheadMs = 0.2,
                    CostUsd = 0.002,
                };
            })],
            CancellationToken.None);
    }
}
