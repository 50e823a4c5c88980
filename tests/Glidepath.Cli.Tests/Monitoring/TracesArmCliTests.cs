namespace Glidepath.Cli.Tests.Monitoring;

/// <summary><c>traces list --arm</c>: a shadow's candidate calls, or a canary's, listed apart (outside trial, pairsview #2).</summary>
public sealed class TracesArmCliTests
{
    [Theory]
    [InlineData("stable", 4)]
    [InlineData("canary", 3)]
    [InlineData("shadow", 2)]
    public async Task TracesList_Arm_ListsOnlyThatArmsTraces(string arm, int expected)
    {
        await using var app = await ArmsAsync();

        var json = await app.JsonAsync("traces", "list", "--env", "production", "--arm", arm);

        var traces = json.GetProperty("traces").EnumerateArray().ToList();
        Assert.Equal(expected, traces.Count);
        Assert.All(traces, t => Assert.Equal(arm, t.GetProperty("arm").GetString()));
    }

    [Fact]
    public async Task TracesList_UnknownArm_Exit2ListingTheArmsWithADidYouMean()
    {
        await using var app = await ArmsAsync();

        var (code, stdout, stderr) = await app.RunAsync("traces", "list", "--env", "production", "--arm", "shdow");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("", stdout);
        Assert.Contains("--arm 'shdow' is not an arm; expected stable, canary or shadow; did you mean 'shadow'?", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TracesList_ArmMatchingNone_BlamesTheFilters()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.WriteTracesAsync("production", "v1", MonitorApp.Start, TimeSpan.FromMinutes(1), 2);
        app.Time.SetUtcNow(MonitorApp.Start.AddMinutes(5));

        var (code, text, _) = await app.RunAsync("traces", "list", "--env", "production", "--arm", "canary");

        Assert.Equal(0, code);
        Assert.Contains("match these filters", text, StringComparison.Ordinal);
    }

    /// <summary>Production with 4 stable, 3 canary and 2 shadow traces.</summary>
    private static async Task<MonitorApp> ArmsAsync()
    {
        var app = await MonitorApp.CreateAsync(2);
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromMinutes(10), 4);
        await app.WriteTracesAsync("production", "v2", t0.AddSeconds(1), TimeSpan.FromMinutes(10), 3, shape: (_, t) => t with { Arm = "canary" });
        await app.WriteTracesAsync("production", "v2", t0.AddSeconds(2), TimeSpan.FromMinutes(10), 2, shape: (_, t) => t with { Arm = "shadow" });
        app.Time.SetUtcNow(t0.AddMinutes(15));
        return app;
    }
}
