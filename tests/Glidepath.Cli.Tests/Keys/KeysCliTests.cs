using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Keys;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Keys;

public sealed class KeysCliTests
{
    [Fact]
    public async Task Create_PrintsTheKeyOnce_AndTheStoreHoldsOnlyItsHash()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var (code, stdout, stderr) = await app.RunAsync("keys", "create", "--env", "production", "--name", "checkout-service", "--rpm", "600", "--budget-usd-per-day", "50");

        Assert.True(code == 0, stderr);
        var key = stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Single(w => w.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal));
        Assert.True(ApiKeySecret.LooksLikeKey(key), key);
        Assert.Contains("600 rpm, $50/day", stdout, StringComparison.Ordinal);
        var (_, list, _) = await app.RunAsync("keys", "list");
        Assert.Contains("checkout-service", list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        await using var store = await SqliteStore.OpenAsync(app.StorePath, null, CancellationToken.None);
        var stored = Assert.Single(await store.ApiKeys.ListAsync("support-agent", "production", CancellationToken.None));
        Assert.Equal(ApiKeySecret.Hash((await store.ReadIdentityAsync(CancellationToken.None)).SubjectKey, key), stored.KeyHash);
    }

    [Fact]
    public async Task CreateJson_HasTheKeyAndItsInfo_ListJsonHasNoKey()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var created = await app.JsonAsync("keys", "create", "--env", "staging", "--name", "ci");
        var list = await app.JsonAsync("keys", "list", "--env", "staging");

        Assert.StartsWith("gpk_", created.GetProperty("key").GetString(), StringComparison.Ordinal);
        var info = created.GetProperty("info");
        Assert.Equal(("ci", "staging", JsonValueKind.Null), (info.GetProperty("name").GetString(), info.GetProperty("environment").GetString(), info.GetProperty("rpm").ValueKind));
        var listed = Assert.Single(list.GetProperty("keys").EnumerateArray());
        Assert.Equal(info.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.DoesNotContain("gpk_", list.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ByName_MarksItRevoked_AndAgainIsBadInput()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("keys", "create", "--env", "production", "--name", "checkout");

        var revoked = await app.JsonAsync("keys", "revoke", "checkout");
        var (again, _, stderr) = await app.RunAsync("keys", "revoke", "checkout");

        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revoked").GetProperty("revoked_at").ValueKind);
        Assert.Equal(ExitCodes.BadInput, again);
        Assert.Contains("no key 'checkout'", stderr, StringComparison.Ordinal);
    }

    // An outside trial: nothing said who revoked a key (which cuts a service's traffic), and there was no way to say why.
    [Fact]
    public async Task Revoke_WithAReason_RecordsTheLocalActorAndTheReason_AndListShowsThem()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("keys", "create", "--env", "production", "--name", "checkout");

        var revoked = (await app.JsonAsync("keys", "revoke", "checkout", "--reason", "leaked in a CI log")).GetProperty("revoked");
        var listed = Assert.Single((await app.JsonAsync("keys", "list")).GetProperty("keys").EnumerateArray());
        var (code, table, stderr) = await app.RunAsync("keys", "list");
        var (_, line, _) = await app.RunAsync("keys", "revoke", listed.GetProperty("id").GetString()!, "--reason", "again");

        var actor = revoked.GetProperty("created_by").GetString();
        Assert.False(string.IsNullOrEmpty(actor));
        Assert.Equal((actor, "leaked in a CI log"), (revoked.GetProperty("revoked_by").GetString(), revoked.GetProperty("revoke_reason").GetString()));
        Assert.Equal((actor, "leaked in a CI log"), (listed.GetProperty("revoked_by").GetString(), listed.GetProperty("revoke_reason").GetString()));
        Assert.True(code == 0, stderr);
        Assert.Contains("revoked by", table, StringComparison.Ordinal);
        Assert.Contains("leaked in a CI log", table, StringComparison.Ordinal);
        Assert.Contains($"by {actor} (reason: leaked in a CI log)", line, StringComparison.Ordinal); // the first revocation stands
    }

    [Fact]
    public async Task Create_NameOfAWorkingKey_IsRefused()
    {
        await using var app = await EnvApp.CreateAsync(0);
        await app.OkAsync("keys", "create", "--env", "production", "--name", "checkout");

        var (code, _, stderr) = await app.RunAsync("keys", "create", "--env", "production", "--name", "checkout");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("already has a key named 'checkout'", stderr, StringComparison.Ordinal);
    }

    // Trial attacker2 M2: the name check ended in '$', which also matches before a final newline, so "evil\n" was a key
    // beside "evil", and a token "root\n" showed as "token:root" on the dashboard's history.
    [Theory]
    [InlineData("keys", "evil\n")]
    [InlineData("tokens", "root\n")]
    public async Task Create_ANameEndingInANewline_IsBadInput_AndWritesNothing(string kind, string name)
    {
        await using var app = await EnvApp.CreateAsync(0);

        string[] args = kind == "keys"
            ? ["keys", "create", "--env", "production", "--name", name]
            : ["tokens", "create", "--role", "owner", "--env", "production", "--name", name];
        var (code, _, stderr) = await app.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("is not allowed", stderr, StringComparison.Ordinal);
        var (_, list, _) = await app.RunAsync(kind, "list", "--format", "json");
        Assert.DoesNotContain(name.TrimEnd('\n'), list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rpm", "0")]
    [InlineData("--budget-usd-per-day", "-1")]
    [InlineData("--env", "nowhere")]
    public async Task Create_BadLimitOrEnvironment_IsBadInput(string option, string value)
    {
        await using var app = await EnvApp.CreateAsync(0);

        string[] args = option == "--env"
            ? ["keys", "create", "--env", value, "--name", "x"]
            : ["keys", "create", "--env", "production", "--name", "x", option, value];
        var (code, _, _) = await app.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, code);
    }

    [Fact]
    public async Task Serve_RequireKeysWithoutAnyKey_RefusedByPolicyWithExit4NamingTheWayOut()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");

        var (code, _, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", "--require-keys");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("--allow-anonymous", stderr, StringComparison.Ordinal);
        Assert.Contains("glidepath keys create --env staging", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RequireKeysAndAllowAnonymous_Exit2()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var (code, _, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", "--require-keys", "--allow-anonymous");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("contradict", stderr, StringComparison.Ordinal);
    }
}
