using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task DemoFast_EveryStepTurnsOutAsNarrated()
    {
        using var dir = new TempDir();
        var keep = dir.File("demo");

        var r = await CliRunner.RunAsync("demo", "--fast", "--keep", keep, "--format", "json");

        var outcome = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("outcome");
        var failure = $"exit {r.ExitCode}; outcome {outcome}; stderr tail: {r.Stderr[Math.Max(0, r.Stderr.Length - 3000)..]}";
        Assert.True(outcome.GetProperty("promoted_v1").GetBoolean(), failure);
        Assert.True(outcome.GetProperty("broken_gate_exit").GetInt32() == 1, "the broken change is blocked; " + failure);
        Assert.True(outcome.GetProperty("good_gate_exit").GetInt32() == 0, "the good change passes; " + failure);
        Assert.True(outcome.GetProperty("drill_exit").GetInt32() == 0, "the drill passes; " + failure);
        Assert.True(outcome.GetProperty("traffic_requests").GetInt32() > 300, failure);
        Assert.True(outcome.GetProperty("traffic_errors").GetInt32() == 0, failure);
        Assert.True(outcome.GetProperty("rollout_v3_state").GetString() == "promoted", failure);
        Assert.True(outcome.GetProperty("production_stable_after_rollout").GetString() == "v3", failure);
        Assert.True(outcome.GetProperty("regression_rollout_state").GetString() == "rolled_back", "the canary catches the regression; " + failure);
        Assert.True(outcome.GetProperty("checklist_exit").GetInt32() == 0, "the checklist is green; " + failure);
        Assert.Equal(0, r.ExitCode);

        // The story went to stderr; the kept workspace holds the real store the commands wrote.
        Assert.Contains("Step 6", r.Stderr, StringComparison.Ordinal);
        var history = await CliRunner.RunAsync("history", "--env", "production", "--manifest", keep, "--format", "json");
        Assert.Contains("rolled", history.Stdout, StringComparison.OrdinalIgnoreCase);
    }
}
