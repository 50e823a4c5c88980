using System.Text.Json;
using Glidepath.Access;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Access;

public sealed class TokensCliTests
{
    [Fact]
    public async Task Create_PrintsTheTokenOnce_AndTheStoreHoldsOnlyItsHash()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var (code, stdout, stderr) = await app.RunAsync("tokens", "create", "--role", "owner", "--env", "production", "--name", "alice");

        Assert.True(code == 0, stderr);
        var token = stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Single(w => w.StartsWith(AccessTokenSecret.Prefix, StringComparison.Ordinal));
        Assert.True(AccessTokenSecret.LooksLikeToken(token), token);
        Assert.Contains("owner in production", stdout, StringComparison.Ordinal);
        var (_, list, _) = await app.RunAsync("tokens", "list");
        Assert.Contains("alice", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
        await using var store = await SqliteStore.OpenAsync(app.StorePath, null, CancellationToken.None);
        var stored = Assert.Single(await store.AccessTokens.ListAsync("support-agent", CancellationToken.None));
        Assert.Equal(AccessTokenSecret.Hash((await store.ReadIdentityAsync(CancellationToken.None)).SubjectKey, token), stored.TokenHash);
        Assert.Equal((Role.Owner, "production"), (stored.Role, stored.Environment));
    }

    [Fact]
    public async Task CreateJson_AdminWithoutEnv_IsEveryEnvironment_ListJsonHasNoToken()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var created = await app.JsonAsync("tokens", "create", "--role", "admin", "--name", "root");
        var list = await app.JsonAsync("tokens", "list");

        Assert.StartsWith("gpt_", created.GetProperty("token").GetString(), StringComparison.Ordinal);
        var info = created.GetProperty("info");
        Assert.Equal(("root", "*", "admin"), (info.GetProperty("name").GetString(), info.GetProperty("environment").GetString(), info.GetProperty("role").GetString()));
        var listed = Assert.Single(list.GetProperty("tokens").EnumerateArray());
        Assert.Equal(info.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.DoesNotContain("gpt_", list.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("owner", null)]
    [InlineData("viewer", "nowhere")]
    [InlineData("superuser", "production")]
    public async Task Create_MissingOrUnknownEnvironmentOrRole_IsBadInput_AndWritesNothing(string role, string? environment)
    {
        await using var app = await EnvApp.CreateAsync(0);
        string[] args = environment is null
            ? ["tokens", "create", "--role", role, "--name", "x"]
            : ["tokens", "create", "--role", role, "--env", environment, "--name", "x"];

        var (code, _, _) = await app.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, code);
        var (_, list, _) = await app.RunAsync("tokens", "list", "--format", "json");
        Assert.DoesNotContain("\"x\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ByName_MarksItRevoked_AndAgainIsBadInput()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("tokens", "create", "--role", "deployer", "--env", "staging", "--name", "ci");

        var revoked = await app.JsonAsync("tokens", "revoke", "ci");
        var (again, _, stderr) = await app.RunAsync("tokens", "revoke", "ci");

        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revoked").GetProperty("revoked_at").ValueKind);
        Assert.Equal(ExitCodes.BadInput, again);
        Assert.Contains("no token 'ci'", stderr, StringComparison.Ordinal);
    }

    // An outside trial: nothing said who revoked a token, and there was no way to say why.
    [Fact]
    public async Task Revoke_WithAReason_RecordsTheLocalActorAndTheReason_AndListShowsThem()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("tokens", "create", "--role", "deployer", "--env", "staging", "--name", "ci");

        var revoked = (await app.JsonAsync("tokens", "revoke", "ci", "--reason", "rotated after the CI leak")).GetProperty("revoked");
        var listed = Assert.Single((await app.JsonAsync("tokens", "list")).GetProperty("tokens").EnumerateArray());
        var (code, table, stderr) = await app.RunAsync("tokens", "list");

        var actor = revoked.GetProperty("created_by").GetString();
        Assert.False(string.IsNullOrEmpty(actor));
        Assert.Equal((actor, "rotated after the CI leak"), (revoked.GetProperty("revoked_by").GetString(), revoked.GetProperty("revoke_reason").GetString()));
        Assert.Equal((actor, "rotated after the CI leak"), (listed.GetProperty("revoked_by").GetString(), listed.GetProperty("revoke_reason").GetString()));
        Assert.True(code == 0, stderr);
        Assert.Contains("revoked by", table, StringComparison.Ordinal);
        Assert.Contains("rotated after the CI leak", table, StringComparison.Ordinal);
    }

    // --env takes the same arguments locally as with --server (where the admin API needs it): a filter for list, a check for revoke.
    [Fact]
    public async Task ListAndRevoke_WithEnv_ListOnlyThatEnvironment_AndRevokeOnlyATokenOfIt()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("tokens", "create", "--role", "deployer", "--env", "staging", "--name", "ci");
        await app.OkAsync("tokens", "create", "--role", "admin", "--name", "root");

        var staging = await app.JsonAsync("tokens", "list", "--env", "staging");
        var everywhere = await app.JsonAsync("tokens", "list", "--env", "*");
        var (wrongEnv, _, stderr) = await app.RunAsync("tokens", "revoke", "ci", "--env", "production");
        var revoked = await app.JsonAsync("tokens", "revoke", "ci", "--env", "staging");

        Assert.Equal(["ci"], staging.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["root"], everywhere.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(ExitCodes.BadInput, wrongEnv);
        Assert.Contains("no token 'ci' in 'production'", stderr, StringComparison.Ordinal);
        Assert.Equal("ci", revoked.GetProperty("revoked").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Revoke_AReasonWithAnEscapeSequence_IsBadInput_AndTheTokenStillWorks()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("tokens", "create", "--role", "deployer", "--env", "staging", "--name", "ci");

        var (code, _, stderr) = await app.RunAsync("tokens", "revoke", "ci", "--reason", "ok\u001b[2K");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("not printable", stderr, StringComparison.Ordinal);
        var listed = Assert.Single((await app.JsonAsync("tokens", "list")).GetProperty("tokens").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("revoked_at").ValueKind);
    }
}
