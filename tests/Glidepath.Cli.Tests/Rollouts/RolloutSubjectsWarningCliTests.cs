using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// Trial newcomer3 M1: with 300 users (here 200: the group counts tell the number of users to about a fifth either way) a 10% step's canary levelled off below min_subjects 20 and held for ever, while
/// rollout plan and rollout start said nothing, the hold gave no next action and the header said only "progressing".
/// </summary>
public sealed class RolloutSubjectsWarningCliTests
{
    private const string Warning = "warning: effective subjects per step, from the stable release's last 24 h on production";

    [Fact]
    public async Task PlanAndStart_200StableUsersAnd10PercentFirstStep_WarnWithTheStepAndWhatToDo()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await TrafficAsync(app, "v1", Arm.Stable, users: 200, requestsEach: 13);

        var plan = await app.RunAsync("rollout", "plan", "--env", "production", "--steps", "10,50");
        var start = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--steps", "10,50", "--format", "json");

        Assert.True(plan.Code == 0, plan.Stderr);
        Assert.Contains(Warning, plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("step 10% gives the canary about ", plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("Start at a larger step (the smallest that reaches it: ", plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("or lower rollout.step.min_subjects in the manifest", plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("subjects (min 20)", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains(" (short)", plan.Stdout, StringComparison.Ordinal);
        Assert.True(start.Code == 0, start.Stderr);
        Assert.Contains(Warning, start.Stderr, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(start.Stdout);
        Assert.Contains("step 10% gives the canary about ", answer.RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAndStart_ManyStableUsersOrNoStableTraffic_NoWarning()
    {
        await using var quiet = await RolloutCliTests.ReadyAsync();
        var none = await quiet.RunAsync("rollout", "plan", "--env", "production", "--steps", "10,50", "--format", "json");
        Assert.True(none.Code == 0, none.Stderr);
        Assert.DoesNotContain(Warning, none.Stderr, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(none.Stdout))
        {
            Assert.All(doc.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("effective_subjects").ValueKind));
        }

        await using var app = await RolloutCliTests.ReadyAsync();
        await TrafficAsync(app, "v1", Arm.Stable, users: 3000, requestsEach: 2);

        var plan = await app.RunAsync("rollout", "plan", "--env", "production", "--steps", "10,50", "--format", "json");
        var start = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--steps", "10,50");

        Assert.True(plan.Code == 0, plan.Stderr);
        Assert.DoesNotContain(Warning, plan.Stderr, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(plan.Stdout))
        {
            var first = doc.RootElement.GetProperty("steps")[0];
            Assert.True(first.GetProperty("effective_subjects").GetDouble() > 30);
            Assert.Equal(0, first.GetProperty("effective_subjects_short_share").GetDouble());
        }

        Assert.True(start.Code == 0, start.Stderr);
        Assert.DoesNotContain(Warning, start.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_HeldForTooFewCanarySubjects_HeaderSaysHeld_AndTheReasonSaysWhatToDo()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "10,50", "--min-requests", "60", "--max-duration", "5m");
        await TrafficAsync(app, "v2", Arm.Canary, users: 12, requestsEach: 30);
        await TrafficAsync(app, "v1", Arm.Stable, users: 400, requestsEach: 3);
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));

        await TickAtAsync(app, later);

        var stdout = new StringWriter();
        await CliApp.RunAsync(["rollout", "status", "--env", "production", "--manifest", app.Manifest, "--store", app.StorePath], new CliEnvironment(stdout, new StringWriter(), false) { Time = later }, CancellationToken.None);
        var text = stdout.ToString();
        var header = text.Split('\n')[0];
        Assert.Contains("— progressing (held at this step: fewer than min_subjects 20 effective subjects on an arm, see judge now), step 1/3 at 10%", header, StringComparison.Ordinal);
        Assert.Contains("judge now: hold — inconclusive after ", text, StringComparison.Ordinal);
        Assert.Contains("next: abort and start again at a larger first step (glidepath rollout plan shows each step's subjects), or lower rollout.step.min_subjects in the manifest", text, StringComparison.Ordinal);
        Assert.Contains("last decision: hold by controller", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("next: abort and start again").Length - 1); // judge now and the stored hold
    }

    [Fact]
    public async Task Status_NettedHoldLiftedByPromote_HeaderNoLongerSaysHeldAndTheLastDecisionIsThePromote()
    {
        await using var app = await RolloutHeldHeaderCliTests.HeldAtAdvanceAsync(RolloutDecisionKinds.Netted);
        await app.OkAsync("rollout", "promote", "--env", "production", "--reason", "looked at the keys: one caller's own timeouts");
        var status = await app.RunAsync("rollout", "status", "--env", "production");

        Assert.True(status.Code == 0, status.Stderr);
        var lines = status.Stdout.Split('\n');
        Assert.Contains("— progressing, step 2/3 at 50%", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("netted", lines[0], StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("last decision: advance by ", StringComparison.Ordinal) && l.Contains("looked at the keys", StringComparison.Ordinal));
    }

    private static async Task TickAtAsync(EnvApp app, TimeProvider time)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        await new RolloutController(store.Rollouts, store.Environments, store.Traces, time, new RolloutControllerOptions { Holder = "test" }).TickAsync(CancellationToken.None);
    }

    /// <summary><paramref name="users"/> sticky subjects, each sending <paramref name="requestsEach"/> answered requests now.</summary>
    private static async Task TrafficAsync(EnvApp app, string release, string arm, int users, int requestsEach)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await store.Traces.WriteBatchAsync(
            [.. Enumerable.Range(0, users * requestsEach).Select(i => new TraceRecord
            {
                TraceId = Glidepath.Testing.TestTraceIds.Of($"subjects/{release}/{arm}/{users}", i),
                App = "support-agent",
                Environment = "production",
                ReleaseId = app.Ids[release],
                Arm = arm,
                StartedAt = now,
                Api = "openai",
                SubjectHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{arm}-user-{i % users}"))),
                Status = 200,
                LatencyMs = 900 + (i % 100),
                OverheadMs = 0.2,
                CostUsd = 0.002,
            })],
            CancellationToken.None);
    }
}
