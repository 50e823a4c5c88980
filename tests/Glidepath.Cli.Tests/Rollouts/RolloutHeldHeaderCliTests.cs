using Glidepath.Cli.Tests.Environments;
using Glidepath.Rollouts;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// A step the judge would advance but the controller holds (a netted or a key_harm hold) as <c>rollout status</c>'s first
/// line shows it: held, why in short, and what to do (outside trial attacker4 MEDIUM 3: a netted hold showed
/// "progressing" and "judge now: advance — safe" while nothing advanced; outside trial segments H1: key_harm).
/// </summary>
public sealed class RolloutHeldHeaderCliTests
{
    [Theory]
    [InlineData(RolloutDecisionKinds.Netted, "netted, one-arm errors from different callers; see the last decision, then glidepath rollout promote or rollout abort --env production")]
    [InlineData(RolloutDecisionKinds.KeyHarm, "key_harm, the canary fails one caller key beyond stable; see the last decision, then glidepath rollback or rollout promote --env production")]
    public async Task Status_HeldAtAnAdvance_HeaderSaysHeldAndWhatToDo(string kind, string says)
    {
        await using var app = await HeldAtAdvanceAsync(kind);

        var status = await app.RunAsync("rollout", "status", "--env", "production");

        Assert.True(status.Code == 0, status.Stderr);
        Assert.Contains($"— progressing (held at this step: {says}), step 1/3 at 10%", status.Stdout.Split('\n')[0], StringComparison.Ordinal);
    }

    /// <summary>
    /// A rollout of v2 in production at its first step (10%), held there by the controller at an advance with a
    /// decision of <paramref name="kind"/> (netted, key_harm), as the controller stores one.
    /// </summary>
    internal static async Task<EnvApp> HeldAtAdvanceAsync(string kind)
    {
        var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "10,50");
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var rollout = (await store.Rollouts.ActiveAsync("support-agent", "production", CancellationToken.None))!;
        await store.Rollouts.AppendDecisionAsync(
            new RolloutDecisionRecord
            {
                RolloutId = rollout.Id, Kind = kind, StepIndex = rollout.StepIndex, Weight = rollout.Weight, Actor = "controller",
                Reason = "safe to advance on the judge's figures, but held: …", Time = DateTimeOffset.UtcNow,
            },
            CancellationToken.None);
        return app;
    }
}
