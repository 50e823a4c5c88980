using System.Text.Json;
using Glidepath.Access;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>Who the admin API believes: the authenticated principal only, its grants per environment, and OIDC claims mapped to roles.</summary>
public sealed class AdminPrincipalTests
{
    // Headers that name another actor are not the caller's to set: the history records the token's name.
    [Fact]
    public async Task Freeze_HeadersNameAnotherActor_HistoryRecordsTheTokensName()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Owner, "production", "alice");

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", token,
            """{"reason":"incident 4711"}""",
            r =>
            {
                r.Headers.Add("Glidepath-Actor", "mallory");
                r.Headers.Add("X-Actor", "mallory");
                r.Headers.Add("X-Forwarded-User", "mallory");
            });

        Assert.Equal(200, status);
        var last = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default))[^1];
        Assert.Equal(("freeze", "token:alice", "incident 4711"), (last.Kind, last.Actor, last.Reason));
        Assert.Equal("token:alice", JsonDocument.Parse(body).RootElement.GetProperty("event").GetProperty("actor").GetString());
    }

    // A body that names an actor is refused (it was ignored): the actor is the credential's, and a field the request
    // does not take is never silently dropped.
    [Fact]
    public async Task Freeze_BodyNamesAnActor_400SayingWhoTheActorIs_NothingRecorded()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Owner, "production", "alice");
        var before = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count;

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", token,
            """{"reason":"incident 4711","actor":"support-ai-oncall","created_by":"mallory"}""");

        Assert.Equal(400, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        Assert.Equal("this request does not take the fields 'actor', 'created_by'; it takes 'reason' (snake_case, as spelt here); the actor is always the name the credential carries; nothing was done", error);
        Assert.Equal(before, (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count);
    }

    [Fact]
    public async Task Jwt_ActorIsItsSubject_NotANameClaim()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var jwt = AdminHarness.Jwt("00u1a2b3c4", ["Glidepath.Owner"]);

        var (status, _) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", jwt, """{"reason":"drill"}""");

        Assert.Equal(200, status);
        Assert.Equal("oidc:00u1a2b3c4", (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default))[^1].Actor);
    }

    [Fact]
    public async Task Freeze_ReasonWithATerminalEscape_400AndNothingRecorded()
    {
        // "\u001b[2K\r" would erase the history row (and its actor) on an operator's terminal and print other text.
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Owner, "production", "alice");
        var before = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count;

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", token,
            """{"reason":"ok\u001b[2K\r\u001b[32mrollback by support-ai-oncall: all fine"}""");
        var nul = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", token, """{"reason":"\u0000"}""");

        Assert.Equal((400, 400), (status, nul.Status));
        Assert.Contains("U+001B at position 3", body, StringComparison.Ordinal);
        Assert.Equal(before, (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count);
    }

    [Fact]
    public async Task Freeze_ReasonOver500Characters_400AndNothingRecorded()
    {
        // 60 KB went into the append-only history through the API, while the dashboard refused over 500 characters.
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Owner, "production", "alice");
        var before = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count;

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", token,
            $$"""{"reason":"{{new string('R', 60_000)}}"}""");

        Assert.Equal(400, status);
        Assert.Contains("the reason is 60000 characters long; at most 500 are accepted", body, StringComparison.Ordinal);
        Assert.Equal(before, (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count);
    }

    [Fact]
    public async Task Promote_ForceByADeployer_403_TheOwnerMayOverride()
    {
        // A CI token (deployer) ships what the policy allows; overriding the gate is the owner's decision, like a rollback.
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var deployer = await h.TokenAsync(Role.Deployer, "production", "ci");
        var owner = await h.TokenAsync(Role.Owner, "production", "alice");
        const string Forced = """{"release":"v2","force":true,"reason":"ship it"}""";

        var plain = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/promote", deployer, """{"release":"v2"}""");
        var forced = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/promote", deployer, Forced);
        var rollout = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/rollout/start", deployer, Forced);
        var byOwner = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/promote", owner, Forced);

        Assert.Equal((409, 403, 403, 200), (plain.Status, forced.Status, rollout.Status, byOwner.Status));
        Assert.Contains("token:ci may not override the promotion policy", forced.Body, StringComparison.Ordinal);
        Assert.Contains("in 'production': it needs the owner role there", forced.Body, StringComparison.Ordinal);
        Assert.Equal("token:alice", (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default))[^1].Actor);
    }

    [Fact]
    public async Task Jwt_ActorClaimWithATerminalEscape_401()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var jwt = AdminHarness.Jwt("x\u001b[2K\rtoken:root", ["Glidepath.Owner"]);

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", jwt, """{"reason":"drill"}""");

        Assert.Equal(401, status);
        Assert.Contains("not printable", body, StringComparison.Ordinal);
        Assert.False((await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "production", default)).Frozen);
    }

    // An attack trial: a 10,000-character subject was recorded as the actor of every event it made; and an audience
    // with a trailing slash was taken for the configured one.
    [Theory]
    [InlineData("long-actor", "is 201 characters; at most 200 are recorded as the actor")]
    [InlineData("audience-with-slash", "it is for another audience")]
    [InlineData("not-yet-valid", "it is not valid yet")]
    [InlineData("nbf-after-exp", "its nbf (not before) is after its exp")] // was "it did not validate" (trial "attacker")
    [InlineData("no-exp", "it has no expiry (exp)")] // was "it did not validate" (trial "pgedge")
    public async Task Jwt_ActorTooLong_OrAudienceNotExactly_401(string kind, string expected)
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var jwt = kind switch
        {
            "long-actor" => AdminHarness.Jwt(new string('a', 201), ["Glidepath.Owner"]),
            "audience-with-slash" => AdminHarness.Jwt("alice", ["Glidepath.Owner"], audience: AdminHarness.Audience + "/"),
            "not-yet-valid" => AdminHarness.Jwt("alice", ["Glidepath.Owner"], TimeSpan.FromHours(3), notBefore: DateTime.UtcNow + TimeSpan.FromHours(1)),
            "no-exp" => AdminHarness.Jwt("alice", ["Glidepath.Owner"], noExpiry: true),
            _ => AdminHarness.Jwt("alice", ["Glidepath.Owner"], notBefore: DateTime.UtcNow + TimeSpan.FromHours(1)),
        };

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", jwt, """{"reason":"drill"}""");
        var (longest, _) = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/production/history", AdminHarness.Jwt(new string('a', 200), ["Glidepath.Owner"]));

        Assert.Equal(401, status);
        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.Equal(200, longest);
        Assert.False((await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "production", default)).Frozen);
    }

    [Fact]
    public async Task Token_OwnerOfStaging_MayFreezeStagingButNotProduction_AndReadsAppWide()
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);
        var token = await h.TokenAsync(Role.Owner, "staging", "stage-owner");

        var production = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", token, """{"reason":"x"}""");
        var history = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/production/history", token);
        var staging = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/freeze", token, """{"reason":"x"}""");
        var status = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", token);

        Assert.Equal((403, 403, 200, 200), (production.Status, history.Status, staging.Status, status.Status));
        Assert.Contains("token:stage-owner may not freeze in 'production'", production.Body, StringComparison.Ordinal);
        Assert.False((await h.F.Store.Environments.GetAsync(h.F.Manifest.App, "production", default)).Frozen);
    }

    [Theory]
    [InlineData("Glidepath.Staging.Owner", "staging", 200)]
    [InlineData("Glidepath.Staging.Owner", "production", 403)]
    [InlineData("Glidepath.Deployer", "production", 403)]
    [InlineData("Some.Other.App.Admin", "staging", 403)]
    public async Task Jwt_RolesClaimMapsToGrants_UnmappedValuesGrantNothing(string roleClaim, string environment, int expected)
    {
        await using var h = await AdminHarness.StartAsync();
        await AdminMatrixTests.SeedAsync(h);

        var (status, _) = await h.SendAsync(HttpMethod.Post, $"/admin/v1/environments/{environment}/freeze", AdminHarness.Jwt("bob", [roleClaim]), """{"reason":"x"}""");

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Jwt_WithoutAnyMappedRole_IsAuthenticatedButMayNotRead()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", AdminHarness.Jwt("carol", []));

        Assert.Equal(403, status);
        Assert.Contains("oidc:carol", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_AdminOfOneEnvironment_CannotSeeOrMakeTokensForAll()
    {
        await using var h = await AdminHarness.StartAsync();
        var stagingAdmin = await h.TokenAsync(Role.Admin, "staging", "stage-admin");
        var root = await h.TokenAsync(Role.Admin, "*", "root");

        var escalate = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/*/tokens", stagingAdmin, """{"name":"me-too","role":"admin"}""");
        var list = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/*/tokens", root);

        Assert.Equal(403, escalate.Status);
        Assert.Equal(200, list.Status);
        var names = JsonDocument.Parse(list.Body).RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["root"], names);
    }

    [Fact]
    public async Task Tokens_NameOfAnotherCaseOrEnvironment_409WithoutSayingWhereItIs()
    {
        // Attack trial D, finding 10: 'ROOT' beside the '*' admin 'root', and a 409 naming a production token to a staging admin.
        await using var h = await AdminHarness.StartAsync();
        var stagingAdmin = await h.TokenAsync(Role.Admin, "staging", "stage-admin");
        await h.TokenAsync(Role.Admin, "*", "root");
        await h.TokenAsync(Role.Admin, "production", "padmin");

        var upper = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/tokens", stagingAdmin, """{"name":"ROOT","role":"owner"}""");
        var other = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/tokens", stagingAdmin, """{"name":"padmin","role":"viewer"}""");
        var own = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/tokens", stagingAdmin, """{"name":"Stage-Admin","role":"viewer"}""");

        Assert.Equal((409, 409, 409), (upper.Status, other.Status, own.Status));
        Assert.Contains("'ROOT' is not available", upper.Body, StringComparison.Ordinal);
        Assert.Contains("'padmin' is not available", other.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("production", upper.Body + other.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("revoke", upper.Body + other.Body, StringComparison.Ordinal);
        Assert.Contains("named 'stage-admin' in 'staging'", own.Body, StringComparison.Ordinal);
        var list = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/tokens", stagingAdmin);
        Assert.DoesNotContain("ROOT", list.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RevokedWhileServing_IsRefusedOnTheNextRequest()
    {
        await using var h = await AdminHarness.StartAsync();
        var token = await h.TokenAsync(Role.Viewer, "*", "temp");
        var first = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", token);

        await h.Tokens.RevokeAsync(h.F.Manifest.App, "temp", "test", null, default);
        var second = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", token);

        Assert.Equal((200, 401), (first.Status, second.Status));
    }

    [Fact]
    public async Task StoreUnreadable_ACredentialThatCannotBeChecked_IsRefused503_NeverAllowed()
    {
        await using var h = await AdminHarness.StartAsync();
        var token = await h.TokenAsync(Role.Admin);
        StoreVandal.MakeUnreadable(h.F.StorePath);
        try
        {
            var status = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", token);
            var freeze = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/freeze", token, """{"reason":"x"}""");
            var metrics = await h.SendAsync(HttpMethod.Get, "/metrics", token);

            Assert.Equal((503, 503, 503), (status.Status, freeze.Status, metrics.Status));
            Assert.DoesNotContain(token, status.Body + freeze.Body + metrics.Body, StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(h.F.StorePath);
        }
    }
}
