using System.Text.Json;
using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Shadow;

/// <summary>A deploy, rollback or promote during a shadow changes the stable release its later pairs are against.</summary>
public sealed class ShadowStableChangeCliTests
{
    /// <summary>v1 stable in production (through staging), v2 and v3 gated against v1, a shadow of v2 in production.</summary>
    private static async Task<EnvApp> ShadowOfV2Async()
    {
        var app = await EnvApp.CreateAsync(3);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        await app.SaveVerdictAsync("v3", "v1", "pass");
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        return app;
    }

    // A trial deployed v3 during a shadow of v2 with stable v1: status judged the pairs against both stables together
    // and still said "against stable v1", while the checklist and --require-shadow judged only those against v3.
    [Fact]
    public async Task Status_StableChangedDuringTheShadow_JudgesOnlyPairsAgainstTheNewStableAndNamesTheOthers()
    {
        await using var app = await ShadowOfV2Async();
        await ShadowPairs.WriteAsync(app, 600, 0.2, stable: "v1");

        var (_, _, promoteErr) = await app.RunAsync("promote", "v3", "--env", "production");
        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var (jsonCode, stdout, _) = await app.RunAsync("shadow", "status", "--env", "production", "--format", "json");
        var (_, checklist, _) = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.Contains("note: the active shadow sh-", promoteErr, StringComparison.Ordinal);
        Assert.Contains("now compares with the new stable release v3", promoteErr, StringComparison.Ordinal);
        Assert.Equal((0, 0), (code, jsonCode));
        Assert.Matches(@"of v2\+\w+ against stable v3\+", text);
        Assert.Matches(@"not judged: pairs with another stable release \(600 against v1\+\w+ with \d+ candidate errors\); .* only the pairs against v3\+", text);
        Assert.Contains("judge: collecting", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        var shadow = json.RootElement.GetProperty("shadow");
        Assert.Equal("v3", shadow.GetProperty("stable").GetProperty("name").GetString());
        var other = shadow.GetProperty("pairs_against_other_stables").EnumerateArray().Single();
        Assert.Equal(("v1", 600L), (other.GetProperty("stable").GetProperty("name").GetString(), other.GetProperty("pairs").GetInt64()));
        Assert.False(shadow.GetProperty("candidate_is_stable").GetBoolean());
        Assert.Contains("still collecting", checklist, StringComparison.Ordinal);
    }

    // An outside trial: a candidate that failed all of its 400 calls against v1, then v3 promoted: status said "pairs 400
    // of 400, candidate spend $0, candidate errors 0" (the errors counted only the pairs against v3, the pairs every
    // stable) and stop recorded "stopped after 400 pairs". The figures on one line now cover the same pairs, and the
    // judged subset is named beside them.
    [Fact]
    public async Task StatusAndStop_CandidateFailedAgainstAnEarlierStable_CountItsErrorsOverEveryPairAndNameTheJudgedOnes()
    {
        await using var app = await ShadowOfV2Async();
        await ShadowPairs.WriteAsync(app, 400, 1.0, stable: "v1");
        await app.OkAsync("promote", "v3", "--env", "production");
        await ShadowPairs.WriteAsync(app, 30, 0, prefix: 'y', stable: "v3");

        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var shadow = (await app.JsonAsync("shadow", "status", "--env", "production")).GetProperty("shadow");
        var (stopCode, stop, _) = await app.RunAsync("shadow", "stop", "--env", "production");

        Assert.Equal((0, 0), (code, stopCode));
        Assert.Matches(@"not judged: pairs with another stable release \(400 against v1\+\w+ with 400 candidate errors\)", text);
        Assert.Matches(@"  pairs 430 \(every stable release\), candidate spend \$0\.86, candidate errors 400; judged: 30 pairs against v3\+\w+, 0 candidate errors\n", text.ReplaceLineEndings("\n"));
        Assert.Equal((430L, 400L, 30L, 0L), (shadow.GetProperty("pairs").GetInt64(), shadow.GetProperty("candidate_errors").GetInt64(),
            shadow.GetProperty("judged_pairs").GetInt64(), shadow.GetProperty("judged_candidate_errors").GetInt64()));
        Assert.Equal(0.86, shadow.GetProperty("cost_usd").GetDouble(), 6);
        Assert.Equal(400L, shadow.GetProperty("pairs_against_other_stables").EnumerateArray().Single().GetProperty("candidate_errors").GetInt64());
        Assert.Matches(@"stopped: 430 pairs stored \(they stay as evidence\), candidate spend \$0\.86, 400 candidate errors; the judge read the 30 against stable v3\+\w+ \(0 candidate errors\) — judge: collecting, ", stop);
    }

    [Fact]
    public async Task Status_CandidateBecameStable_SaysNothingIsMirroredAndJudgesAgainstTheReplacedRelease()
    {
        await using var app = await ShadowOfV2Async();
        await ShadowPairs.WriteAsync(app, 3000, 0, stable: "v1");

        var (_, _, promoteErr) = await app.RunAsync("promote", "v2", "--env", "production");
        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var json = await app.JsonAsync("shadow", "status", "--env", "production");

        Assert.Contains("note: v2, the candidate of the active shadow sh-", promoteErr, StringComparison.Ordinal);
        Assert.Contains("is now the stable release: the shadow mirrors nothing", promoteErr, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Matches(@"of v2\+\w+ judged against v1\+\w+, the stable release it replaced,", text);
        Assert.Matches(@"active, but v2\+\w+ is now the stable release: nothing is mirrored", text);
        Assert.Contains("judge: pass", text, StringComparison.Ordinal);
        Assert.True(json.GetProperty("shadow").GetProperty("candidate_is_stable").GetBoolean());

        // An outside trial: 'status' still said the shadow mirrored 100% of stable's requests to the new stable release.
        var (_, status, _) = await app.RunAsync("status");
        Assert.Matches(@"production: shadow sh-\w+ of v2\+\w+ mirrors nothing: v2\+\w+ is now the stable release \(end it: glidepath shadow stop --env production\)", status);
        var row = (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production");
        Assert.True(row.GetProperty("shadow").GetProperty("candidate_is_stable").GetBoolean());
    }

    // Nothing more is mirrored once the candidate is stable: a watch still collecting would wait for ever.
    [Fact]
    public async Task StatusWatch_CandidateBecameStableWhileCollecting_Exit1SayingSo()
    {
        await using var app = await ShadowOfV2Async();
        await ShadowPairs.WriteAsync(app, 60, 0, stable: "v1");
        await app.OkAsync("promote", "v2", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("shadow", "status", "--env", "production", "--watch");

        Assert.Equal(ExitCodes.Negative, code);
        Assert.Contains("the shadow stopped mirroring (its candidate became the stable release) before the judge decided", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_WithoutAShadow_PrintsNoShadowNote()
    {
        await using var app = await ShadowOfV2Async();
        await app.OkAsync("shadow", "stop", "--env", "production");
        await app.OkAsync("promote", "v3", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production");

        Assert.Equal(0, code);
        Assert.DoesNotContain("shadow", stderr, StringComparison.Ordinal);
    }
}
