using System.Text;
using System.Text.Json;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Admin.Requests;
using Glidepath.Views;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>Trial 2, D8: admin API errors name the body's fields and the shape they need, not CLI flags or .NET types.</summary>
public sealed class AdminWordingTests
{
    [Theory]
    [InlineData("""{"reason":5}""", "'reason' must be a string, got a number (5)")]
    [InlineData("""{"rpm":"ten"}""", "'rpm' must be a whole number, got a string (\"ten\")")]
    [InlineData("""{"rpm":1e20}""", "'rpm' must be a whole number, got a number (1e20)")]
    [InlineData("""{"budget_usd_per_day":[1]}""", "'budget_usd_per_day' must be a number, got a list")]
    [InlineData("""{"force":"yes"}""", "'force' must be true or false, got a string (\"yes\")")]
    [InlineData("""[]""", "the request body must be a JSON object, got a list")]
    [InlineData("\"x\"", "the request body must be a JSON object, got a string (\"x\")")]
    public void BodyError_WrongShape_NamesTheFieldAndWhatItMustBe(string body, string expected)
    {
        var ex = Assert.ThrowsAny<JsonException>(() => Deserialize(body));

        Assert.Equal(expected, AdminWording.BodyError(ex, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void BodyError_NotJson_SaysWhereWithoutCuttingTheSentence()
    {
        const string body = "{\"reason\": 'x'}";
        var ex = Assert.ThrowsAny<JsonException>(() => Deserialize(body));

        var message = AdminWording.BodyError(ex, Encoding.UTF8.GetBytes(body));

        Assert.Equal("the request body is not JSON (line 1, byte 12): ''' is an invalid start of a value", message);
        Assert.DoesNotContain("Path:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rpm is -5; expected at least 1 (leave it out for no limit)", "'rpm' is -5; expected at least 1 (leave it out for no limit)")]
    [InlineData("--force needs --reason \"...\": an override of the promotion policy is recorded with why it was made", "'force' needs a 'reason': an override of the promotion policy is recorded with why it was made")]
    [InlineData("blocked (to override, add --force --reason \"...\"; the override is recorded in the history)", "blocked (to override, send \"force\": true with a \"reason\"; the override is recorded in the history)")]
    [InlineData("--steps: 'abc' is not a percentage from 0.01 to 100; expected e.g. --steps 1,5,25", "'steps': 'abc' is not a percentage from 0.01 to 100; expected e.g. \"steps\": \"1,5,25\"")]
    [InlineData("v2 was skipped by a rollback --to in production, so it is not known-good; rollback --to accepts a known-good release (v1); to ship v2, run: glidepath promote v2 --env production", "v2 was skipped by a rollback 'to' in production, so it is not known-good; rollback 'to' accepts a known-good release (v1); to ship v2, run: glidepath promote v2 --env production")]
    [InlineData("cannot promote v3:\n- run: glidepath deploy v3 --env staging --force\n- --force was not given", "cannot promote v3:\n- run: glidepath deploy v3 --env staging --force\n- 'force' was not given")]
    [InlineData("--require-shadow: v2 has no passed shadow; Wait for shadow sh-1 to say pass: glidepath shadow status --env production --watch", "'require_shadow': v2 has no passed shadow; Wait for shadow sh-1 to say pass: glidepath shadow status --env production --watch")]
    public void InBodyTerms_FlagsBecomeFields(string message, string expected) =>
        Assert.Equal(expected, AdminWording.InBodyTerms(message));

    [Theory]
    [InlineData("no active shadow; start one with: glidepath shadow start REF --env production --rate 0.1")]
    [InlineData("when it is safe again, run: glidepath unfreeze --env production --reason \"...\"")]
    [InlineData("--forced-choice and x--rpm are not flags of a body")]
    [InlineData("environment 'production' is frozen by token:ana (\"use --force only after --rpm review\"); when it is safe again, run: glidepath unfreeze --env production --reason \"...\"")]
    public void InBodyTerms_SuggestedCommandsAndOtherWords_Unchanged(string message) =>
        Assert.Equal(message, AdminWording.InBodyTerms(message));

    [Fact]
    public async Task AdminApi_KeyWithANegativeRpm_400NamesTheField()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/keys", await h.TokenAsync(Role.Admin), """{"name":"x","rpm":-5}""");

        Assert.Equal(400, status);
        Assert.StartsWith("'rpm' is -5", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminApi_TheCliAsClient_KeepsTheFlagsItsUserTyped()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/keys", await h.TokenAsync(Role.Admin), """{"name":"x","rpm":-5}""",
            r => r.Headers.Add(AdminEndpointRouteBuilderExtensions.ClientHeader, AdminEndpointRouteBuilderExtensions.CliClient));

        Assert.Equal(400, status);
        Assert.StartsWith("--rpm is -5", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminApi_ReasonOfTheWrongType_400NamesTheField()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/production/freeze", await h.TokenAsync(Role.Owner), """{"reason":5}""");

        Assert.Equal(400, status);
        Assert.Equal("'reason' must be a string, got a number (5)", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    private static object? Deserialize(string body) => body.Contains("rpm", StringComparison.Ordinal) || body.Contains("budget", StringComparison.Ordinal)
        ? JsonSerializer.Deserialize<KeyCreateRequest>(body, ViewJson.Options)
        : body.Contains("force", StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<PromoteRequest>(body, ViewJson.Options)
            : JsonSerializer.Deserialize<ReasonRequest>(body, ViewJson.Options);
}
