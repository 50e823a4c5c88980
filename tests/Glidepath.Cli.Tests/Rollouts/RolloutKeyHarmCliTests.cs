using Glidepath.Rollouts;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>A key_harm hold (outside trial segments H1) as <c>rollout status</c> shows it: held, and what to do.</summary>
public sealed class RolloutKeyHarmCliTests
{
    [Fact]
    public async Task Status_HeldForOneKey_HeaderSaysHeldAndWhatToDo()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "10,50");
        await using (var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            var rollout = (await store.Rollouts.ActiveAsync("support-agent", "production", CancellationToken.None))!;
            await store.Rollouts.AppendDecisionAsync(
                new RolloutDecisionRecord
                {
                    RolloutId = rollout.Id, Kind = RolloutDecisionKinds.KeyHarm, StepIndex = rollout.StepIndex, Weight = rollout.Weight, Actor = "controller",
                    Reason = "safe to advance on the judge's figures, but held: the canary fails one caller key …", Time = DateTimeOffset.UtcNow,
                },
                CancellationToken.None);
        }

        var status = await app.RunAsync("rollout", "status", "--env", "production");

        Assert.True(status.Code == 0, status.Stderr);
        Assert.Contains("— progressing (held at this step: key_harm, the canary fails one caller key beyond stable; see the last decision, then glidepath rollback or rollout promote --env production), step 1/3 at 10%", status.Stdout.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("last decision: key_harm by controller", status.Stdout, StringComparison.Ordinal);
    }
}
