using System.Text.Json;
using Glidepath.Errors;

namespace Glidepath.Cli.Tests.Environments;

public sealed class PromotionCliTests
{
    [Fact]
    public async Task Promote_ProductionWithoutStaging_Exits4NamingStaging()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var (code, stdout, stderr) = await app.RunAsync("promote", "v1", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("v1 has never been the stable release of staging", stderr, StringComparison.Ordinal);
        Assert.Contains("run: glidepath deploy v1 --env staging", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.Null(await app.StableAsync("production"));
    }

    [Fact]
    public async Task Promote_FirstReleaseAfterStaging_Exits0AndHistorySaysNoBaseline()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");

        var history = await app.JsonAsync("history", "--env", "production");
        var ev = Assert.Single(history.GetProperty("events").EnumerateArray());
        Assert.Equal("promote", ev.GetProperty("kind").GetString());
        Assert.Equal("first release: no baseline to gate against", ev.GetProperty("reason").GetString());
        Assert.True(ev.GetProperty("details").GetProperty("first_release").GetBoolean());
        Assert.Equal(JsonValueKind.Null, ev.GetProperty("from").ValueKind);
        Assert.Equal("v1", ev.GetProperty("to").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Promote_WithoutGateVerdict_Exits4NamingTheGateCommand()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("no passing gate verdict for v2 against production's stable v1; run: glidepath gate v2 --baseline env:production", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("staging", stderr.Split('\n')[1], StringComparison.Ordinal);

        await app.SaveVerdictAsync("v2", "v1", "blocked");
        (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("is 'blocked'", stderr, StringComparison.Ordinal);
        Assert.Equal("v1", await app.StableAsync("production"));
    }

    [Fact]
    public async Task Promote_WithStagingAndPassingVerdict_Exits0AndEventIsInHistory()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");

        var result = await app.JsonAsync("promote", "v2", "--env", "production", "--reason", "better refunds");
        Assert.True(result.GetProperty("changed").GetBoolean());
        Assert.Equal(2, result.GetProperty("environment").GetProperty("revision").GetInt64());

        var events = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        var ev = events[1];
        Assert.Equal(("promote", 2L, "better refunds", false), (ev.GetProperty("kind").GetString(), ev.GetProperty("revision").GetInt64(), ev.GetProperty("reason").GetString(), ev.GetProperty("forced").GetBoolean()));
        Assert.Equal("v1", ev.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal(app.Ids["v2"], ev.GetProperty("to").GetProperty("id").GetString());
        Assert.Equal(app.Ids["v1"], ev.GetProperty("details").GetProperty("baseline_release_id").GetString());
        Assert.NotEqual(JsonValueKind.Null, ev.GetProperty("details").GetProperty("gate_verdict_id").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(ev.GetProperty("actor").GetString()));
        Assert.Equal("v2", await app.StableAsync("production"));
    }

    // Trial A §1: drop the blocking scorer, gate (pass), put it back: the pass was computed with other scorers.
    [Fact]
    public async Task Promote_NewestPassComputedWithOtherScorers_Exits4OnTheBlockWithTodaysScorersAndForceOverrides()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass", scorerVersion: "scorers-without-the-guard");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("verdicts for v2 against production's stable v1 exist, but for other scorers: eval.scorers (or a rubric or schema they read) changed since", stderr, StringComparison.Ordinal);
        Assert.Contains("run: glidepath gate v2 --baseline env:production", stderr, StringComparison.Ordinal);

        await app.SaveVerdictAsync("v2", "v1", "blocked", at: DateTimeOffset.UtcNow.AddMinutes(-1));
        (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("on the current dataset and scorers is 'blocked'", stderr, StringComparison.Ordinal);
        Assert.Equal("v1", await app.StableAsync("production"));

        await app.OkAsync("promote", "v2", "--env", "production", "--force", "--reason", "guard is wrong, tracked in #12");
        var ev = (await app.JsonAsync("history", "--env", "production")).GetProperty("events")[1];
        Assert.True(ev.GetProperty("forced").GetBoolean());
        Assert.Contains("'blocked'", ev.GetProperty("details").GetProperty("overridden")[0].GetString(), StringComparison.Ordinal);
    }

    // Trial A §2: a case added to the dataset (evalset add --from-trace) makes earlier verdicts stop counting for promote too.
    [Fact]
    public async Task Promote_PassOnTheDatasetBeforeACaseWasAdded_Exits4UntilTheGatePassesOnTheNewDataset()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        var dataset = Path.Combine(app.Dir, "evals", "support.jsonl");
        var added = (await File.ReadAllLinesAsync(dataset)).First(l => l.Contains("\"contains\"", StringComparison.Ordinal)).Replace("\"id\":\"", "\"id\":\"from-trace-", StringComparison.Ordinal);
        await File.AppendAllTextAsync(dataset, added + "\n");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("verdicts for v2 against production's stable v1 exist, but for another dataset: evals/support.jsonl changed since", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("but for another dataset", stderr, StringComparison.Ordinal);

        await app.SaveVerdictAsync("v2", "v1", "pass");
        await app.OkAsync("promote", "v2", "--env", "production");
        Assert.Equal("v2", await app.StableAsync("production"));
    }

    // Trial A §7: newest counts, so a flaky block can be re-rolled into a pass; promote says how many blocks came before.
    [Fact]
    public async Task Promote_PassAfterTwoBlocksOfThePair_SaysSoAndRecordsItInTheHistory()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        var now = DateTimeOffset.UtcNow;
        await app.SaveVerdictAsync("v2", "v1", "blocked", at: now.AddMinutes(-3));
        await app.SaveVerdictAsync("v2", "v1", "blocked", at: now.AddMinutes(-2));
        await app.SaveVerdictAsync("v2", "v1", "pass", at: now.AddMinutes(-1));

        var (code, stdout, stderr) = await app.RunAsync("promote", "v2", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("production: v1 → v2", stdout, StringComparison.Ordinal);
        Assert.Contains("gate: v2 passed against production's stable v1 on evals/support.jsonl", stderr, StringComparison.Ordinal);
        Assert.Contains("(2 earlier runs of this pair blocked)", stderr, StringComparison.Ordinal);
        var ev = (await app.JsonAsync("history", "--env", "production")).GetProperty("events")[1];
        Assert.Equal(2, ev.GetProperty("details").GetProperty("gate_earlier_blocked").GetInt32());
    }

    [Fact]
    public async Task Promote_ForceWithoutReason_Exits2AndForceWithReasonIsRecordedAsForced()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var (code, _, stderr) = await app.RunAsync("promote", "v1", "--env", "production", "--force");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--reason", stderr, StringComparison.Ordinal);

        await app.OkAsync("promote", "v1", "--env", "production", "--force", "--reason", "hotfix 4711");
        var ev = (await app.JsonAsync("history", "--env", "production")).GetProperty("events")[0];
        Assert.True(ev.GetProperty("forced").GetBoolean());
        Assert.Equal("hotfix 4711", ev.GetProperty("reason").GetString());
        Assert.Contains("staging", ev.GetProperty("details").GetProperty("overridden")[0].GetString(), StringComparison.Ordinal);

        var (_, text, _) = await app.RunAsync("history", "--env", "production");
        Assert.Contains("promote (FORCED)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_EnvironmentWithRequires_Exits4PointingToPromoteAndRolloutStart()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var (code, _, stderr) = await app.RunAsync("deploy", "v1", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("glidepath promote v1 --env production", stderr, StringComparison.Ordinal);
        Assert.Contains("glidepath rollout start v1 --env production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_UnknownEnvironment_Exits2ListingTheDeclaredOnes()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var (code, _, stderr) = await app.RunAsync("deploy", "v1", "--env", "prod");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("expected one of: staging, production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SameReleaseTwice_SecondChangesNothing()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var again = await app.JsonAsync("deploy", "v1", "--env", "staging");
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(1, (await app.JsonAsync("history", "--env", "staging")).GetProperty("events").GetArrayLength());
    }

    // Newcomer trial L2: 'deploy working' refused (the prompt uses a variable staging does not set) still created a release.
    [Fact]
    public async Task DeployWorking_PromptVariableTheEnvironmentDoesNotSet_Exit2AndRegistersNoRelease()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var prompt = Path.Combine(app.Dir, "prompts", "system.md");
        await File.AppendAllTextAsync(prompt, "\nAddress the customer as {{customer_name}}.\n");

        var (code, _, stderr) = await app.RunAsync("deploy", "working", "--env", "staging");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("uses template variable 'customer_name'", stderr, StringComparison.Ordinal);
        Assert.Equal(1, (await app.JsonAsync("release", "list")).GetArrayLength());
    }

    [Fact]
    public async Task EnvRef_AfterPromotion_ResolvesToTheStableRelease()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.OkAsync("deploy", "v2", "--env", "staging");
        var shown = await app.JsonAsync("release", "show", "env:staging");
        Assert.Equal("v2", shown.GetProperty("release").GetProperty("name").GetString());

        var (code, _, stderr) = await app.RunAsync("release", "show", "env:production");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("has no stable release yet", stderr, StringComparison.Ordinal);
    }
}
