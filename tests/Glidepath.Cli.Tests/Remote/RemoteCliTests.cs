using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// The CLI with <c>--server URL --token T</c> against a real gateway's admin API on 127.0.0.1: the same output as the
/// same command on the store, the principal as the actor, refusals as exit codes.
/// </summary>
public sealed class RemoteCliTests : IAsyncLifetime
{
    private EnvApp _app = null!;
    private SqliteStore _store = null!;
    private GatewayServer _gateway = null!;
    private ModelClientFactory _models = null!;
    private string _admin = "";
    private string _viewer = "";

    public async Task InitializeAsync()
    {
        _app = await EnvApp.CreateAsync(2);
        await _app.OkAsync("deploy", "v1", "--env", "staging");
        await _app.OkAsync("promote", "v1", "--env", "production");
        _admin = (await _app.JsonAsync("tokens", "create", "--role", "admin", "--name", "ops")).GetProperty("token").GetString()!;
        _viewer = (await _app.JsonAsync("tokens", "create", "--role", "viewer", "--env", "production", "--name", "watcher")).GetProperty("token").GetString()!;
        await _app.OkAsync("keys", "create", "--env", "staging", "--name", "checkout");
        _store = await SqliteStore.OpenAsync(_app.StorePath, TimeProvider.System, CancellationToken.None);
        var manifest = ManifestParser.Load(_app.Manifest);
        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        _gateway = await GatewayServer.StartAsync(
            ServingOptions.For(_store, manifest, "staging", _models) with { Rollouts = null, Monitor = null },
            new GatewayServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
                Admin = new AdminOptions { Manifest = manifest, Store = _store },
            },
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _models.Dispose();
        await _store.DisposeAsync();
        await _app.DisposeAsync();
    }

    private Task<(int Code, string Stdout, string Stderr)> RemoteAsync(string token, params string[] args) =>
        _app.RunAsync([.. args, "--server", _gateway.Urls[0], "--token", token]);

    [Theory]
    [InlineData("text", "status")]
    [InlineData("json", "status")]
    [InlineData("text", "history", "--env", "production")]
    [InlineData("json", "history", "--env", "production")]
    [InlineData("text", "keys", "list", "--env", "staging")]
    [InlineData("json", "keys", "list", "--env", "staging")]
    [InlineData("text", "tokens", "list", "--env", "*")]
    [InlineData("json", "tokens", "list", "--env", "production")]
    [InlineData("text", "traces", "list", "--env", "staging")]
    [InlineData("json", "traces", "list", "--env", "staging")]
    [InlineData("json", "traces", "list", "--env", "staging", "--arm", "shadow")]
    [InlineData("text", "traces", "list", "--env", "staging", "--cancelled")]
    [InlineData("json", "traces", "list", "--env", "staging", "--limit", "1")]
    [InlineData("text", "shadow", "list", "--env", "production")]
    [InlineData("json", "shadow", "list", "--env", "production")]
    public async Task ReadCommand_ThroughTheAdminApi_PrintsWhatItPrintsOnTheStore(string format, params string[] command)
    {
        var local = await _app.RunAsync([.. command, "--format", format]);
        var remote = await RemoteAsync(_admin, [.. command, "--format", format]);

        Assert.True(local.Code == 0, local.Stderr);
        Assert.True(remote.Code == 0, remote.Stderr);
        Assert.Equal(local.Stdout, remote.Stdout);
    }

    [Fact]
    public async Task Freeze_ThroughTheAdminApi_RecordsTheTokensNameNotTheLocalActor()
    {
        var (code, stdout, stderr) = await RemoteAsync(_admin, "freeze", "--env", "production", "--reason", "incident 4711");
        var history = await _app.JsonAsync("history", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("reason: incident 4711", stdout, StringComparison.Ordinal);
        var last = history.GetProperty("events").EnumerateArray().Last();
        Assert.Equal(("freeze", "token:ops"), (last.GetProperty("kind").GetString(), last.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Rollout_StartPauseStatusAbort_ThroughTheAdminApi()
    {
        var start = await RemoteAsync(_admin, "rollout", "start", "v2", "--env", "staging", "--force", "--reason", "remote", "--steps", "10,50");
        var pause = await RemoteAsync(_admin, "rollout", "pause", "--env", "staging", "--format", "json");
        var status = await RemoteAsync(_admin, "rollout", "status", "--env", "staging", "--format", "json");
        var abort = await RemoteAsync(_admin, "rollout", "abort", "--env", "staging", "--reason", "done");

        Assert.True(start.Code == 0, start.Stderr);
        Assert.StartsWith("staging: rollout ", start.Stdout, StringComparison.Ordinal);
        Assert.Contains("(steps 10 → 50 → 100)", start.Stdout, StringComparison.Ordinal);
        Assert.Equal("paused", JsonDocument.Parse(pause.Stdout).RootElement.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("token:ops", JsonDocument.Parse(status.Stdout).RootElement.GetProperty("last_decision").GetProperty("actor").GetString());
        Assert.True(abort.Code == 0, abort.Stderr);
        Assert.Contains("is aborted", abort.Stdout, StringComparison.Ordinal);
        var local = await _app.RunAsync("rollout", "status", "--env", "staging", "--format", "json");
        var remote = await RemoteAsync(_admin, "rollout", "status", "--env", "staging", "--format", "json");
        Assert.Equal(local.Stdout, remote.Stdout);
    }

    // An outside trial: --require-shadow was dropped through --server, and a rollout of a release without a passed shadow
    // started (exit 0). The gateway checks it now; --force does not override it there either.
    [Fact]
    public async Task RolloutStart_RequireShadow_ThroughTheAdminApi_IsChecked()
    {
        var refused = await RemoteAsync(_admin, "rollout", "start", "v2", "--env", "staging", "--force", "--reason", "remote", "--require-shadow");

        Assert.True(refused.Code == ExitCodes.Refused, refused.Stdout + refused.Stderr);
        Assert.Contains("--require-shadow: v2 has no passed shadow against the stable release of staging; no shadow of v2 has run in staging", refused.Stderr, StringComparison.Ordinal);
        var status = await _app.RunAsync("rollout", "status", "--env", "staging", "--format", "json");
        Assert.Contains("has had no rollout", status.Stderr, StringComparison.Ordinal);
    }

    // An outside trial: 'shadow status --server' refused (exit 2), and the admin API had no shadow read.
    [Fact]
    public async Task ShadowStatus_ThroughTheAdminApi_PrintsWhatItPrintsOnTheStore_AndRefusesAViewerOfAnotherEnvironment()
    {
        await _app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1", "--max-cost-usd", "5", "--reason", "try v2");
        await Shadow.ShadowPairs.WriteAsync(_app, 30, 0);

        var localJson = await _app.RunAsync("shadow", "status", "--env", "production", "--format", "json");
        var remoteJson = await RemoteAsync(_viewer, "shadow", "status", "--env", "production", "--format", "json");
        var localText = await _app.RunAsync("shadow", "status", "--env", "production");
        var remoteText = await RemoteAsync(_viewer, "shadow", "status", "--env", "production");
        var otherEnvironment = await RemoteAsync(_viewer, "shadow", "status", "--env", "staging");
        var none = await RemoteAsync(_admin, "shadow", "status", "--env", "staging");

        Assert.True(localJson.Code == 0, localJson.Stderr);
        Assert.True(remoteJson.Code == 0, remoteJson.Stderr);
        Assert.Equal(localJson.Stdout, remoteJson.Stdout);
        Assert.Equal(30, JsonDocument.Parse(remoteJson.Stdout).RootElement.GetProperty("shadow").GetProperty("pairs").GetInt64());
        Assert.Equal(localText.Stdout, remoteText.Stdout);
        Assert.Contains("pairs 30, candidate spend $0.06 of $5", remoteText.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Refused, otherEnvironment.Code);
        Assert.Contains("needs the viewer role", otherEnvironment.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, none.Code);
        Assert.Contains("environment 'staging' has had no shadow", none.Stderr, StringComparison.Ordinal);
    }

    // An outside trial (pairsview #3): an earlier shadow could be read only with sqlite3.
    [Fact]
    public async Task ShadowListAndStatusOfAnEarlierShadow_ThroughTheAdminApi_PrintWhatTheyPrintOnTheStore()
    {
        await _app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1");
        await Shadow.ShadowPairs.WriteAsync(_app, 12, 0);
        var first = (await _app.JsonAsync("shadow", "stop", "--env", "production")).GetProperty("shadow").GetProperty("shadow_id").GetString()!;
        await _app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1");

        foreach (var command in new[] { new[] { "shadow", "list", "--env", "production" }, ["shadow", "status", "--env", "production", "--shadow", first] })
        {
            foreach (var format in new[] { "text", "json" })
            {
                var local = await _app.RunAsync([.. command, "--format", format]);
                var remote = await RemoteAsync(_viewer, [.. command, "--format", format]);
                Assert.True(remote.Code == 0, remote.Stderr);
                Assert.Equal((local.Code, local.Stdout), (remote.Code, remote.Stdout));
            }
        }

        var earlier = await RemoteAsync(_viewer, "shadow", "status", "--env", "production", "--shadow", first, "--format", "json");
        Assert.Contains("\"pairs\": 12", earlier.Stdout, StringComparison.Ordinal);
        var unknown = await RemoteAsync(_viewer, "shadow", "status", "--env", "production", "--shadow", "sh-000000000000");
        Assert.Equal(ExitCodes.BadInput, unknown.Code);
        Assert.Contains("is not one of production's", unknown.Stderr, StringComparison.Ordinal);
    }

    // An outside trial: 'shadow start' and 'shadow stop' refused --server, so an operator with only a token could not run
    // the shadow that 'rollout start --require-shadow --server' asks for.
    [Fact]
    public async Task ShadowStartAndStop_ThroughTheAdminApi_ActAsTheToken_AndSayWhatALocalRunSays()
    {
        var viewer = await RemoteAsync(_viewer, "shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        var badRate = await RemoteAsync(_admin, "shadow", "start", "v2", "--env", "production", "--rate", "5");
        var start = await RemoteAsync(_admin, "shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "5", "--reason", "remote try", "--format", "json");
        var local = await _app.RunAsync("shadow", "status", "--env", "production", "--format", "json");
        var again = await RemoteAsync(_admin, "shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        var stop = await RemoteAsync(_admin, "shadow", "stop", "--env", "production", "--reason", "enough");
        var history = await _app.JsonAsync("history", "--env", "production");

        Assert.Equal(ExitCodes.Refused, viewer.Code);
        Assert.Contains("needs the deployer role", viewer.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, badRate.Code);
        Assert.Contains("--rate is the share of stable requests mirrored, from 0.000001 (one request in a million) to 1; got 5", badRate.Stderr, StringComparison.Ordinal);
        Assert.True(start.Code == 0, start.Stderr);
        Assert.Contains("note: --max-requests 5 is below the 1313 pairs a pass needs under this plan", start.Stderr, StringComparison.Ordinal);
        var started = JsonDocument.Parse(start.Stdout).RootElement;
        Assert.Equal(JsonDocument.Parse(local.Stdout).RootElement.GetProperty("shadow").GetRawText(), started.GetProperty("shadow").GetRawText());
        Assert.Equal(("v2", "token:ops", "remote try"), (started.GetProperty("shadow").GetProperty("candidate").GetProperty("name").GetString(),
            started.GetProperty("shadow").GetProperty("started_by").GetString(), started.GetProperty("shadow").GetProperty("reason").GetString()));
        Assert.Equal(ExitCodes.Refused, again.Code);
        Assert.True(stop.Code == 0, stop.Stderr);
        Assert.Matches(@"^production: shadow sh-[0-9a-f]{12} of v2\+[0-9a-f]{8} stopped: 0 pairs stored \(they stay as evidence\), candidate spend \$0, 0 candidate errors — judge: collecting, ", stop.Stdout);
        var kinds = history.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("actor").GetString())).TakeLast(2);
        Assert.Equal([("shadow_start", "token:ops"), ("shadow_stop", "token:ops")], kinds);
    }

    // shadow.md said it: through --server the answer did not carry the note a local promote prints about the active shadow.
    [Fact]
    public async Task Promote_ThroughTheAdminApi_SaysWhatALocalPromoteSaysAboutTheActiveShadow()
    {
        await _app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1");

        var promote = await RemoteAsync(_admin, "promote", "v2", "--env", "production", "--force", "--reason", "ship it", "--format", "json");

        Assert.True(promote.Code == 0, promote.Stderr);
        Assert.Contains("the candidate of the active shadow", promote.Stderr, StringComparison.Ordinal);
        Assert.Contains("is now the stable release: the shadow mirrors nothing", JsonDocument.Parse(promote.Stdout).RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_AreTheirExitCodes()
    {
        var forbidden = await RemoteAsync(_viewer, "freeze", "--env", "production", "--reason", "x");
        var badToken = await RemoteAsync("gpt_" + new string('A', 43), "status");
        var badInput = await RemoteAsync(_admin, "freeze", "--env", "nowhere", "--reason", "x");
        var unsupported = await RemoteAsync(_admin, "release", "list");

        Assert.Equal((ExitCodes.Refused, ExitCodes.Refused, ExitCodes.BadInput, ExitCodes.BadInput), (forbidden.Code, badToken.Code, badInput.Code, unsupported.Code));
        Assert.Contains("may not freeze", forbidden.Stderr, StringComparison.Ordinal);
        Assert.Contains("'release list' works on the store itself and cannot talk to --server", unsupported.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_admin, unsupported.Stderr + badInput.Stderr, StringComparison.Ordinal);
        Assert.False((await _app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production").GetProperty("frozen").GetBoolean());
    }

    // An outside trial: 'tokens' offered --server in its help and refused it (exit 2).
    [Fact]
    public async Task Tokens_ThroughTheAdminApi_CreateListRevoke_RecordedAsTheTokensName()
    {
        var created = await RemoteAsync(_admin, "tokens", "create", "--role", "deployer", "--env", "staging", "--name", "ci", "--format", "json");
        var createdText = await RemoteAsync(_admin, "tokens", "create", "--role", "viewer", "--env", "staging", "--name", "ci2");
        var list = await RemoteAsync(_admin, "tokens", "list", "--env", "staging");
        var revoked = await RemoteAsync(_admin, "tokens", "revoke", "ci", "--env", "staging", "--reason", "rotating");
        var noEnv = await RemoteAsync(_admin, "tokens", "list");

        Assert.True(created.Code == 0, created.Stderr);
        var secret = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("token").GetString()!;
        Assert.True(Glidepath.Access.AccessTokenSecret.LooksLikeToken(secret));
        Assert.True(createdText.Code == 0, createdText.Stderr);
        Assert.Contains("Created token", createdText.Stdout, StringComparison.Ordinal);
        Assert.Contains("viewer in staging", createdText.Stdout, StringComparison.Ordinal);
        Assert.True(list.Code == 0, list.Stderr);
        Assert.Contains(" ci ", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);
        Assert.True(revoked.Code == 0, revoked.Stderr);
        Assert.Contains("by token:ops (reason: rotating)", revoked.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, noEnv.Code);
        Assert.Contains("with --server, 'tokens list' needs --env", noEnv.Stderr, StringComparison.Ordinal);
        var stored = (await _app.JsonAsync("tokens", "list")).GetProperty("tokens").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(("token:ops", "token:ops", "rotating"), (stored["ci"].GetProperty("created_by").GetString(), stored["ci"].GetProperty("revoked_by").GetString(), stored["ci"].GetProperty("revoke_reason").GetString()));
    }

    // An outside trial: the reason a revoke sent was thrown away, and nothing recorded who revoked the key.
    [Fact]
    public async Task KeysRevoke_ThroughTheAdminApi_RecordsTheTokensNameAndTheReason()
    {
        await _app.OkAsync("keys", "create", "--env", "staging", "--name", "to-revoke");

        var (code, stdout, stderr) = await RemoteAsync(_admin, "keys", "revoke", "to-revoke", "--env", "staging", "--reason", "rotating");
        var listed = (await _app.JsonAsync("keys", "list")).GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "to-revoke");

        Assert.True(code == 0, stderr);
        Assert.Contains("by token:ops (reason: rotating)", stdout, StringComparison.Ordinal);
        Assert.Equal(("token:ops", "rotating"), (listed.GetProperty("revoked_by").GetString(), listed.GetProperty("revoke_reason").GetString()));
    }

    // An outside trial: a token with a role in one environment read every environment's state here.
    [Fact]
    public async Task Status_ThroughTheAdminApi_ListsOnlyTheEnvironmentsTheTokenHoldsARoleIn()
    {
        var remote = await RemoteAsync(_viewer, "status", "--format", "json");
        var text = await RemoteAsync(_viewer, "status");

        Assert.True(remote.Code == 0, remote.Stderr);
        Assert.Equal(["production"], JsonDocument.Parse(remote.Stdout).RootElement.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.True(text.Code == 0, text.Stderr);
        Assert.DoesNotContain("\nstaging ", "\n" + text.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nproduction ", "\n" + text.Stdout, StringComparison.Ordinal);
    }

    // 'serve' prints "Admin API on http://host:port/admin/v1"; a trial pasted that into --server and got a 404.
    [Fact]
    public async Task Server_GivenAsTheAdminApisUrl_Works()
    {
        var local = await _app.RunAsync("status", "--format", "json");
        var remote = await _app.RunAsync("status", "--format", "json", "--server", _gateway.Urls[0].TrimEnd('/') + "/admin/v1/", "--token", _admin);

        Assert.True(remote.Code == 0, remote.Stderr);
        Assert.Equal(local.Stdout, remote.Stdout);
    }

    // --expect-revision travels as the body's expected_revision: the gateway refuses the second of two rollbacks
    // confirmed on the same revision, as the store does for a local command.
    [Fact]
    public async Task Rollback_ExpectRevision_ThroughTheAdminApi_OneStepBackNotTwo()
    {
        await _app.OkAsync("deploy", "v2", "--env", "staging");
        await _app.SaveVerdictAsync("v2", "v1", "pass");
        await _app.OkAsync("promote", "v2", "--env", "production");
        var seen = (await _app.JsonAsync("status")).GetProperty("environments").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "production").GetProperty("revision").GetInt64()
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

        var first = await RemoteAsync(_admin, "rollback", "--env", "production", "--expect-revision", seen, "--reason", "first");
        var second = await RemoteAsync(_admin, "rollback", "--env", "production", "--expect-revision", seen, "--reason", "second");

        Assert.True(first.Code == 0, first.Stderr);
        Assert.Equal(ExitCodes.Refused, second.Code);
        Assert.Contains($"changed since it was looked at (revision {seen}, now ", second.Stderr, StringComparison.Ordinal);
        Assert.Equal("v1", await _app.StableAsync("production"));
        var rollbacks = (await _app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "rollback").ToList();
        Assert.Equal(("token:ops", "first"), (Assert.Single(rollbacks).GetProperty("actor").GetString(), rollbacks[0].GetProperty("reason").GetString()));
    }

    // A guarded rollback meant to end a canary that was aborted in between: 409 naming the abort (exit 4), and the stable
    // is not moved back in its place.
    [Fact]
    public async Task Rollback_ExpectRevision_ThroughTheAdminApi_CanaryAbortedSince_IsRefused()
    {
        await _app.OkAsync("deploy", "v2", "--env", "staging");
        await _app.SaveVerdictAsync("v2", "v1", "pass");
        await _app.OkAsync("rollout", "start", "v2", "--env", "production");
        var seen = (await _app.JsonAsync("status")).GetProperty("environments").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "production").GetProperty("revision").GetInt64()
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        var aborted = await RemoteAsync(_admin, "rollout", "abort", "--env", "production", "--reason", "wrong build");

        var rollback = await RemoteAsync(_admin, "rollback", "--env", "production", "--expect-revision", seen, "--reason", "stop the canary");

        Assert.True(aborted.Code == 0, aborted.Stderr);
        Assert.Equal(ExitCodes.Refused, rollback.Code);
        Assert.Contains($"changed since it was looked at (revision {seen}, now ", rollback.Stderr, StringComparison.Ordinal);
        Assert.Contains("rollout_aborted canary v2 vs stable v1 by token:ops", rollback.Stderr, StringComparison.Ordinal);
        Assert.Equal("v1", await _app.StableAsync("production"));
    }

    // Trial sdkapp: through the admin API too, a rollback during a rollout ends the rollout at once and says so (the note
    // travels back), though no controller runs here.
    [Fact]
    public async Task Rollback_DuringARollout_ThroughTheAdminApi_EndsTheRolloutAndSaysSo()
    {
        await _app.OkAsync("deploy", "v2", "--env", "staging");
        await _app.SaveVerdictAsync("v2", "v1", "pass");
        await _app.OkAsync("rollout", "start", "v2", "--env", "production");

        var rollback = await RemoteAsync(_admin, "rollback", "--env", "production", "--reason", "stop the canary");

        Assert.True(rollback.Code == 0, rollback.Stderr);
        Assert.Contains("production: canary v2 at 1% ended; all traffic to the stable v1 (rollback, revision", rollback.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"rollout ro-[0-9a-f]{12} ended \(rolled_back\): its canary was removed by this rollback", rollback.Stderr);
        var (code, json, _) = await _app.RunAsync("rollout", "status", "--env", "production", "--format", "json");
        Assert.Equal(ExitCodes.Negative, code); // a rollout that ended rolled back
        using var status = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("rolled_back", status.RootElement.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("v1", await _app.StableAsync("production"));
    }

    // The admin API names body fields ('rpm') for other callers; the CLI's user typed a flag, and reads it back.
    [Fact]
    public async Task ServerSideInputError_KeepsTheCliFlagsWording()
    {
        var result = await RemoteAsync(_admin, "keys", "create", "--env", "staging", "--name", "x", "--rpm", "-5");

        Assert.Equal(ExitCodes.BadInput, result.Code);
        Assert.Contains("--rpm is -5", result.Stderr, StringComparison.Ordinal);
    }
}
