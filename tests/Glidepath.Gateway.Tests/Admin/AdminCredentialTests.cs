using System.Text.Json;
using Glidepath.Access;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// Revoking a caller's key or an access token through the admin API records who did it (the principal) and the
/// body's reason, and the list answers show both. An outside trial found the reason the OpenAPI document declares
/// accepted and thrown away, and nothing anywhere saying who revoked what.
/// </summary>
public sealed class AdminCredentialTests
{
    [Fact]
    public async Task KeyRevoke_RecordsThePrincipalAndTheReason_AndTheListShowsThem()
    {
        await using var h = await AdminHarness.StartAsync();
        var admin = await h.TokenAsync(Role.Admin, "staging", "p-admin");
        Assert.Equal(200, (await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/keys", admin, """{"name":"svc1"}""")).Status);

        var revoke = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/keys/svc1/revoke", admin, """{"reason":"rotating: leaked in CI log"}""");
        var list = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/keys", admin);

        Assert.Equal((200, 200), (revoke.Status, list.Status));
        Assert.Equal(("token:p-admin", "rotating: leaked in CI log"), Revocation(JsonDocument.Parse(revoke.Body).RootElement.GetProperty("revoked")));
        Assert.Equal(("token:p-admin", "rotating: leaked in CI log"), Revocation(JsonDocument.Parse(list.Body).RootElement.GetProperty("keys")[0]));
        var stored = Assert.Single(await h.F.Store.ApiKeys.ListAsync(h.F.Manifest.App, "staging", default));
        Assert.Equal(("token:p-admin", "rotating: leaked in CI log"), (stored.RevokedBy, stored.RevokeReason));
    }

    [Fact]
    public async Task TokenRevoke_ByAnOidcAdmin_RecordsItsSubjectAndTheReason_AndTheListShowsThem()
    {
        await using var h = await AdminHarness.StartAsync();
        await h.TokenAsync(Role.Viewer, "staging", "alice");
        var jwt = AdminHarness.Jwt("bob", ["Glidepath.Admin"]);

        var revoke = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/tokens/alice/revoke", jwt, """{"reason":"left the team"}""");
        var list = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/tokens", jwt);

        Assert.Equal((200, 200), (revoke.Status, list.Status));
        Assert.Equal(("oidc:bob", "left the team"), Revocation(JsonDocument.Parse(revoke.Body).RootElement.GetProperty("revoked")));
        Assert.Equal(("oidc:bob", "left the team"), Revocation(JsonDocument.Parse(list.Body).RootElement.GetProperty("tokens")[0]));
    }

    [Fact]
    public async Task Revoke_WithoutABody_RecordsThePrincipalAndNoReason()
    {
        await using var h = await AdminHarness.StartAsync();
        var admin = await h.TokenAsync(Role.Admin, "staging", "p-admin");
        await h.TokenAsync(Role.Viewer, "staging", "alice");

        var revoke = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/tokens/alice/revoke", admin);

        Assert.Equal(200, revoke.Status);
        Assert.Equal(("token:p-admin", (string?)null), Revocation(JsonDocument.Parse(revoke.Body).RootElement.GetProperty("revoked")));
    }

    [Theory]
    [InlineData("/keys/svc1/revoke", """{"reason":"ok\u001b[2K"}""")]
    [InlineData("/tokens/alice/revoke", """{"reason":"ok\u001b[2K"}""")]
    [InlineData("/tokens/alice/revoke", """{"reason":"x","actor":"someone-else"}""")]
    public async Task Revoke_AReasonNotRecordableOrAnActorField_400AndNothingRevoked(string path, string body)
    {
        await using var h = await AdminHarness.StartAsync();
        var admin = await h.TokenAsync(Role.Admin, "staging", "p-admin");
        await h.TokenAsync(Role.Viewer, "staging", "alice");
        Assert.Equal(200, (await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/keys", admin, """{"name":"svc1"}""")).Status);

        var revoke = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging" + path, admin, body);

        Assert.Equal(400, revoke.Status);
        Assert.DoesNotContain(await h.F.Store.ApiKeys.ListAsync(h.F.Manifest.App, null, default), k => k.IsRevoked);
        Assert.DoesNotContain(await h.F.Store.AccessTokens.ListAsync(h.F.Manifest.App, default), t => t.IsRevoked);
    }

    private static (string? By, string? Reason) Revocation(JsonElement row) =>
        (row.GetProperty("revoked_by").GetString(), row.GetProperty("revoke_reason").GetString());
}
