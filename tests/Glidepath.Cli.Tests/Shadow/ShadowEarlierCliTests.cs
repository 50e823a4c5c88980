namespace Glidepath.Cli.Tests.Shadow;

/// <summary><c>shadow list</c> and <c>shadow status --shadow ID</c>: an earlier shadow read without sqlite3 (outside trial, pairsview #3).</summary>
public sealed class ShadowEarlierCliTests
{
    [Fact]
    public async Task StatusShadowId_AnEarlierShadow_ShowsItsPairsIncludingThoseStoredAfterItsStop()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        var first = await StartStopAsync(app, 30, late: 4);
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        await ShadowPairs.WriteAsync(app, 10, 0, prefix: 'z');

        var (code, text, stderr) = await app.RunAsync("shadow", "status", "--env", "production", "--shadow", first);
        var json = await app.JsonAsync("shadow", "status", "--env", "production", "--shadow", first);
        var latest = await app.JsonAsync("shadow", "status", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains($"production: shadow {first} of v2", text, StringComparison.Ordinal);
        Assert.Contains("stopped at", text, StringComparison.Ordinal);
        Assert.Contains("pairs 34,", text, StringComparison.Ordinal);
        Assert.Contains("4 of these pairs were stored after the stop", text, StringComparison.Ordinal);
        var shadow = json.GetProperty("shadow");
        Assert.Equal((first, false, 34L, 30L), (shadow.GetProperty("shadow_id").GetString(), shadow.GetProperty("active").GetBoolean(), shadow.GetProperty("pairs").GetInt64(), shadow.GetProperty("pairs_at_stop").GetInt64()));
        Assert.NotEqual(first, latest.GetProperty("shadow").GetProperty("shadow_id").GetString());
        Assert.Equal(10L, latest.GetProperty("shadow").GetProperty("pairs").GetInt64());
    }

    [Fact]
    public async Task List_TwoShadows_NewestFirstWithPairsStopAndOutcome()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        var first = await StartStopAsync(app, 30, late: 4);
        var started = await app.JsonAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        var second = started.GetProperty("shadow").GetProperty("shadow_id").GetString()!;
        await ShadowPairs.WriteAsync(app, 10, 0, prefix: 'z');

        var json = await app.JsonAsync("shadow", "list", "--env", "production");
        var (code, text, _) = await app.RunAsync("shadow", "list", "--env", "production");

        var shadows = json.GetProperty("shadows").EnumerateArray().ToList();
        Assert.Equal([second, first], shadows.Select(s => s.GetProperty("shadow_id").GetString()));
        Assert.Equal([true, false], shadows.Select(s => s.GetProperty("active").GetBoolean()));
        Assert.Equal([10L, 34L], shadows.Select(s => s.GetProperty("pairs").GetInt64()));
        Assert.Equal(0, code);
        var lines = text.Split('\n');
        Assert.Contains("active", lines.Single(l => l.StartsWith(second, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("34 (30 at the stop)", lines.Single(l => l.StartsWith(first, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"glidepath shadow status --env production --shadow {second}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoShadowYet_SaysSoAndExit0()
    {
        await using var app = await ShadowCliTests.ReadyAsync();

        var (code, text, _) = await app.RunAsync("shadow", "list", "--env", "production");
        var json = await app.JsonAsync("shadow", "list", "--env", "production");

        Assert.Equal(0, code);
        Assert.Contains("production has had no shadow; start one with: glidepath shadow start REF --env production", text, StringComparison.Ordinal);
        Assert.Empty(json.GetProperty("shadows").EnumerateArray());
    }

    [Fact]
    public async Task StatusShadowId_NotOneOfTheEnvironments_Exit2NamingTheShadowsWithADidYouMean()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        var first = await StartStopAsync(app, 3, late: 0);
        var typo = first[..^1] + (first[^1] == '0' ? '1' : '0');

        var (code, _, stderr) = await app.RunAsync("shadow", "status", "--env", "production", "--shadow", typo);
        var (noneCode, _, none) = await app.RunAsync("shadow", "status", "--env", "staging", "--shadow", first);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"shadow '{typo}' is not one of production's ({first}); did you mean '{first}'? 'glidepath shadow list --env production' lists them", stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, noneCode);
        Assert.Contains($"environment 'staging' has had no shadow, so none is '{first}'", none, StringComparison.Ordinal);
    }

    /// <summary>Starts a shadow of v2, stores <paramref name="pairs"/>, stops it and stores <paramref name="late"/> more (calls in flight at the stop); its id.</summary>
    private static async Task<string> StartStopAsync(Environments.EnvApp app, int pairs, int late)
    {
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        await ShadowPairs.WriteAsync(app, pairs, 0);
        var stopped = await app.JsonAsync("shadow", "stop", "--env", "production");
        var id = stopped.GetProperty("shadow").GetProperty("shadow_id").GetString()!;
        if (late > 0)
        {
            await ShadowPairs.WriteAsync(app, late, 0, prefix: 'y', shadowId: id);
        }

        return id;
    }
}
