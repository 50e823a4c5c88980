using System.Text.Json;
using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Keys;
using Glidepath.Rollouts;
using Glidepath.Views;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>The admin API's answers: the CLI's JSON, and errors with the status of their failure kind (the OpenAPI document: <see cref="AdminOpenApiTests"/>).</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task StatusAndHistory_AreTheCliJsonViews_ByteForByte()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Viewer);
        var (app, store) = (h.F.Manifest.App, h.F.Store);

        var status = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", token);
        var history = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/history", token);

        var rows = await EnvironmentReports.StatusRowsAsync(h.F.Manifest, store, default);
        var views = new EnvironmentViews(await store.Releases.ListAsync(app, default));
        var events = await store.Environments.HistoryAsync(app, "staging", default);
        Assert.Equal(JsonSerializer.Serialize(EnvironmentReports.Status(app, rows), ViewJson.Options), status.Body);
        Assert.Equal(JsonSerializer.Serialize(EnvironmentReports.History(app, "staging", events, views), ViewJson.Options), history.Body);
    }

    [Fact]
    public async Task TraceById_AnotherEnvironmentsTrace_LooksUnknown_AndPrefixesMatchOnlyThisEnvironment()
    {
        await using var h = await AdminHarness.StartAsync();
        var trace = (string id, string env) => new Traces.TraceRecord
        {
            TraceId = id, App = h.F.Manifest.App, Environment = env, ReleaseId = h.F.V1.Id, Arm = "stable",
            StartedAt = DateTimeOffset.UtcNow, Api = "openai", Status = 200, LatencyMs = 10, OverheadMs = 1,
        };
        await h.F.Store.Traces.WriteBatchAsync(
        [
            trace("feedface00000000000000000000000a", "production"),
            trace("feedface00000000000000000000000b", "production"),
            trace("feedfacf00000000000000000000000c", "staging"),
        ], default);
        var viewer = await h.TokenAsync(Role.Viewer, "staging");

        var ambiguous = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/traces/feedface", viewer);
        var full = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/traces/feedface00000000000000000000000a", viewer);
        var own = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/traces/feedfa", viewer);
        var ownPrefix = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/traces/feedfacf", viewer);

        // A staging viewer learns nothing of production's ids: not by prefix, not by a full id (the same answer as for an unknown one).
        Assert.Equal(400, ambiguous.Status);
        Assert.DoesNotContain("feedface0000", ambiguous.Body, StringComparison.Ordinal);
        Assert.Contains("no trace of", ambiguous.Body, StringComparison.Ordinal);
        Assert.Equal(400, full.Status);
        Assert.Contains("no trace 'feedface00000000000000000000000a'", full.Body, StringComparison.Ordinal);
        Assert.Equal(400, own.Status); // under 8 hex digits
        Assert.Equal(200, ownPrefix.Status);
        Assert.Contains("feedfacf00000000000000000000000c", ownPrefix.Body, StringComparison.Ordinal);
    }

    // An attack trial: a viewer of staging only read production's stable release through 'env:production' (a release
    // reference, a trace filter), though every other read of production needs a role there.
    [Fact]
    public async Task EnvReference_ToAnEnvironmentTheCallerCannotRead_Refused()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var viewer = await h.TokenAsync(Role.Viewer, "staging");
        var everywhere = await h.TokenAsync(Role.Viewer);

        var release = await h.SendAsync(HttpMethod.Get, "/admin/v1/releases/env:production", viewer);
        var filter = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/traces?release=env:production", viewer);
        var allowed = await h.SendAsync(HttpMethod.Get, "/admin/v1/releases/env:production", everywhere);

        Assert.Equal((409, 409, 200), (release.Status, filter.Status, allowed.Status));
        Assert.Contains("may not read 'env:production': it needs the viewer role in 'production'", release.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(h.F.V1.Id[..8], release.Body + filter.Body, StringComparison.Ordinal);
        Assert.Contains(h.F.V1.Id[..8], allowed.Body, StringComparison.Ordinal);
    }

    // An outside trial: a viewer of staging only read production's stable release, canary and freeze reason here,
    // though every other read of production (history, traces, env:production, /metrics) refuses it.
    [Fact]
    public async Task Status_ListsOnlyTheEnvironmentsTheCallerHoldsARoleIn()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var owner = await h.TokenAsync(Role.Owner, "production");
        Assert.Equal(200, (await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", owner, """{"reason":"incident-4711"}""")).Status);

        var staging = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", await h.TokenAsync(Role.Viewer, "staging"));
        var production = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", owner);
        var everywhere = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", await h.TokenAsync(Role.Admin));
        var oidcStaging = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", AdminHarness.Jwt("alice", ["Glidepath.Staging.Owner"]));

        Assert.Equal((200, 200, 200, 200), (staging.Status, production.Status, everywhere.Status, oidcStaging.Status));
        Assert.Equal(["staging"], Names(staging.Body));
        Assert.Equal(["staging"], Names(oidcStaging.Body));
        Assert.Equal(["production"], Names(production.Body));
        Assert.Equal(h.F.Manifest.Environments.Select(e => e.Name), Names(everywhere.Body));
        Assert.DoesNotContain("incident-4711", staging.Body + oidcStaging.Body, StringComparison.Ordinal);
        Assert.Contains("incident-4711", production.Body, StringComparison.Ordinal);

        static List<string> Names(string body)
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        }
    }

    [Fact]
    public async Task Readyz_NamesTheServedReleases_OnlyWithAnAccessToken()
    {
        await using var h = await AdminHarness.StartAsync();

        var anonymous = await h.SendAsync(HttpMethod.Get, "/readyz", null, baseUrl: h.F.Url);
        var badToken = await h.SendAsync(HttpMethod.Get, "/readyz", "gpt_not_a_token", baseUrl: h.F.Url);
        // The token check is bounded (HealthEndpoints.TokenCheckLimit); a first check on a cold, loaded machine may miss
        // it and answer without the release fields, so the viewer asks until the answer names them (at most 30 s).
        var viewerToken = await h.TokenAsync(Role.Viewer, "staging");
        var viewer = await h.SendAsync(HttpMethod.Get, "/readyz", viewerToken, baseUrl: h.F.Url);
        for (var sw = System.Diagnostics.Stopwatch.StartNew(); !viewer.Body.Contains("\"stable\"", StringComparison.Ordinal) && sw.Elapsed < TimeSpan.FromSeconds(30);)
        {
            await Task.Delay(50);
            viewer = await h.SendAsync(HttpMethod.Get, "/readyz", viewerToken, baseUrl: h.F.Url);
        }

        var otherEnvironment = await h.SendAsync(HttpMethod.Get, "/readyz", await h.TokenAsync(Role.Admin, "production"), baseUrl: h.F.Url);

        Assert.Equal((200, 200, 200, 200), (anonymous.Status, badToken.Status, viewer.Status, otherEnvironment.Status));
        foreach (var hidden in new[] { anonymous.Body, badToken.Body, otherEnvironment.Body })
        {
            Assert.DoesNotContain("\"stable\"", hidden, StringComparison.Ordinal);
            Assert.DoesNotContain("canary", hidden, StringComparison.Ordinal);
            Assert.DoesNotContain(h.F.V1.Label, hidden, StringComparison.Ordinal);
            Assert.Contains("\"revision\":", hidden, StringComparison.Ordinal);
        }

        Assert.Contains($"\"stable\":\"{h.F.V1.Label}\"", viewer.Body, StringComparison.Ordinal);
        Assert.Contains("\"canary_weight\":", viewer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_PrintsTheKeyOnce_AndListShowsOnlyItsHash()
    {
        await using var h = await AdminHarness.StartAsync();
        var token = await h.TokenAsync(Role.Admin, "staging", "root");

        var created = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/keys", token, """{"name":"checkout","budget_usd_per_day":5}""");
        var list = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/keys", token);

        Assert.Equal(200, created.Status);
        var secret = JsonDocument.Parse(created.Body).RootElement.GetProperty("key").GetString()!;
        Assert.True(ApiKeySecret.LooksLikeKey(secret));
        Assert.DoesNotContain(secret, list.Body, StringComparison.Ordinal);
        var stored = Assert.Single(await h.F.Store.ApiKeys.ListAsync(h.F.Manifest.App, "staging", default));
        Assert.Equal(JsonSerializer.Serialize(ApiKeyReports.List(h.F.Manifest.App, [stored]), ViewJson.Options), list.Body);
        Assert.Equal((5.0, "token:root"), (stored.BudgetUsdPerDay, stored.CreatedBy));
    }

    [Theory]
    [InlineData("/admin/v1/environments/nowhere/freeze", """{"reason":"x"}""", 400, 2)]
    [InlineData("/admin/v1/environments/production/freeze", "{}", 400, 2)]
    [InlineData("/admin/v1/environments/production/freeze", "{not json", 400, 2)]
    [InlineData("/admin/v1/environments/production/promote", """{"release":"working"}""", 400, 2)]
    [InlineData("/admin/v1/environments/production/promote", """{"release":"v9"}""", 400, 2)]
    [InlineData("/admin/v1/environments/production/promote", """{"release":"v2"}""", 409, 4)]
    [InlineData("/admin/v1/environments/production/rollout/pause", "{}", 409, 4)]
    [InlineData("/admin/v1/environments/staging/rollout/start", """{"release":"v2","reason":"x","max_duration":"0s"}""", 400, 2)]
    public async Task Failures_AnswerTheirKindsStatus_WithTheCliJsonError(string path, string body, int status, int exitCode)
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Admin);

        var answer = await h.SendAsync(HttpMethod.Post, path, token, body);

        Assert.Equal(status, answer.Status);
        var json = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(exitCode, json.GetProperty("exit_code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetString()));
        if (body.Contains("max_duration", StringComparison.Ordinal))
        {
            Assert.Equal("max_duration '0s' is zero; expected a duration above zero, e.g. 30s, 10m, 1h", json.GetProperty("error").GetString());
        }
    }

    // An outside trial: the API had no require_shadow, so 'rollout start --require-shadow --server' started the canary.
    [Fact]
    public async Task RolloutStart_RequireShadow_WithoutAPassedShadow_IsRefused_AndStartsNothing()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Admin);

        var refused = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", token, """{"release":"v2","reason":"x","force":true,"require_shadow":true}""");
        var rolloutAfterRefusal = (await h.F.Store.Rollouts.LatestAsync(h.F.Manifest.App, "staging", default))!.State;
        var started = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/rollout/start", token, """{"release":"v2","reason":"x","require_shadow":false}""");

        Assert.Equal(409, refused.Status);
        var json = JsonDocument.Parse(refused.Body).RootElement;
        Assert.Equal(4, json.GetProperty("exit_code").GetInt32());
        // Trial dash2 #3: the API's answer named the CLI's flag; it names the body's field.
        Assert.Contains("'require_shadow': v2 has no passed shadow against the stable release of staging; no shadow of v2 has run in staging", json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(RolloutState.Aborted, rolloutAfterRefusal); // the seed's aborted rollout is still the latest
        Assert.Equal(200, started.Status);
    }

    // Starting and stopping a shadow were CLI-only; through the API a caller gets the notes a local run prints on stderr,
    // in the body's terms, and the same refusals.
    [Fact]
    public async Task ShadowStartAndStop_AnswerTheShadow_WithNotesInTheBodysTerms()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Deployer);

        var noRate = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/shadow/start", token, """{"release":"v2"}""");
        var misspelt = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/shadow/start", token, """{"release":"v2","rate":0.1,"max_request":5}""");
        var started = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/shadow/start", token, """{"release":"v2","rate":0.1,"max_requests":5}""");
        var second = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/shadow/start", token, """{"release":"v2","rate":0.1}""");
        var stopped = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/shadow/stop", token, """{"reason":"enough"}""");
        var none = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/shadow/stop", token, "{}");

        Assert.Equal(400, noRate.Status);
        Assert.StartsWith("'rate' is required", JsonDocument.Parse(noRate.Body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, misspelt.Status);
        Assert.Contains("max_request", misspelt.Body, StringComparison.Ordinal);
        Assert.Equal(200, started.Status);
        var answer = JsonDocument.Parse(started.Body).RootElement;
        Assert.True(answer.GetProperty("shadow").GetProperty("active").GetBoolean());
        Assert.Equal(5, answer.GetProperty("shadow").GetProperty("max_requests").GetInt64());
        var note = Assert.Single(answer.GetProperty("notes").EnumerateArray()).GetString();
        Assert.StartsWith("'max_requests' 5 is below the 1313 pairs a pass needs under this plan", note, StringComparison.Ordinal);
        Assert.EndsWith("raise 'max_requests' to at least 1313", note, StringComparison.Ordinal);
        Assert.Equal(409, second.Status);
        Assert.Equal(200, stopped.Status);
        Assert.False(JsonDocument.Parse(stopped.Body).RootElement.GetProperty("shadow").GetProperty("active").GetBoolean());
        Assert.Equal("enough", JsonDocument.Parse(stopped.Body).RootElement.GetProperty("shadow").GetProperty("stop_reason").GetString());
        Assert.Equal(409, none.Status);
        Assert.Contains("has no active shadow", none.Body, StringComparison.Ordinal);
    }

    // Trial 2, D7: routing used to answer a form body with a bare 415 before the credential was looked at.
    [Theory]
    [InlineData(null, "application/x-www-form-urlencoded", 401)]
    [InlineData("garbage", "text/plain", 401)]
    [InlineData("viewer", "text/plain", 403)]
    [InlineData("owner", "application/x-www-form-urlencoded", 415)]
    [InlineData("owner", "text/plain", 415)]
    [InlineData("owner", "application/json; charset=latin1", 415)]
    [InlineData("owner", null, 415)]
    [InlineData("owner", "application/json", 200)]
    [InlineData("owner", "application/merge-patch+json", 200)]
    public async Task Post_ContentType_CheckedAfterTheCredential_415NamesJson(string? who, string? contentType, int status)
    {
        await using var h = await AdminHarness.StartAsync();
        var bearer = who switch
        {
            null => null,
            "garbage" => "garbage",
            "viewer" => await h.TokenAsync(Role.Viewer),
            _ => await h.TokenAsync(Role.Owner),
        };

        var (answer, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", bearer, configure: r =>
        {
            r.Content = new ByteArrayContent("""{"reason":"x"}"""u8.ToArray());
            if (contentType is not null)
            {
                r.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        });

        Assert.Equal(status, answer);
        var json = JsonDocument.Parse(body).RootElement;
        if (status == 415)
        {
            Assert.Equal(2, json.GetProperty("exit_code").GetInt32());
            Assert.Contains("Content-Type: application/json", json.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.False((await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "production", default)).Frozen, "a refused body froze the environment");
        }
    }

    // Found in review: a body without Content-Length (chunked here; any body in HTTP/2) was taken for no body.
    [Fact]
    public async Task Post_ChunkedBodyWithoutContentType_415()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", await h.TokenAsync(Role.Owner), configure: r =>
        {
            r.Content = new ByteArrayContent("""{"reason":"x"}"""u8.ToArray());
            r.Headers.TransferEncodingChunked = true;
        });

        Assert.Equal(415, status);
        Assert.Contains("'(none)'", body, StringComparison.Ordinal);
        Assert.False((await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "production", default)).Frozen);
    }

    [Fact]
    public async Task Post_NoBodyNoContentType_IsTheDefaults()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", await h.TokenAsync(Role.Owner));

        Assert.Equal(400, status); // the defaults: no reason, which freeze needs
        Assert.Contains("'reason' is required", body, StringComparison.Ordinal);
    }
}
