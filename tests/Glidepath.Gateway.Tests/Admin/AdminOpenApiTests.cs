using System.Text.Json;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>The admin API's OpenAPI document: public, every operation and no other, bodies as the API reads them, the bearer scheme on every operation.</summary>
public sealed class AdminOpenApiTests
{
    [Fact]
    public async Task OpenApiDocument_IsPublic_AndDescribesEveryOperationAndNoTrafficEndpoint()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/openapi.json", bearer: null);

        Assert.Equal(200, status);
        var paths = JsonDocument.Parse(body).RootElement.GetProperty("paths");
        foreach (var op in AdminOperations.All)
        {
            Assert.True(paths.TryGetProperty(op.Route, out var item), $"{op.Route} missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(op.Method.ToLowerInvariant(), out _), $"{op.Method} {op.Route} missing");
        }

        Assert.False(paths.TryGetProperty("/v1/chat/completions", out _));
        var freeze = paths.GetProperty("/admin/v1/environments/{env}/freeze").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json"], freeze.EnumerateObject().Select(c => c.Name));
        Assert.Equal(AdminOperations.All.Select(o => o.Route).Distinct().Count(), paths.EnumerateObject().Count());
    }

    // An outside trial: the document declared no security scheme, so a client generated from it sent no token.
    [Fact]
    public async Task OpenApiDocument_DeclaresTheBearerScheme_AndEveryOperationRequiresIt()
    {
        await using var h = await AdminHarness.StartAsync();

        var (_, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/openapi.json", bearer: null);

        var root = JsonDocument.Parse(body).RootElement;
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var operations = root.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).ToList();
        Assert.Equal(AdminOperations.All.Count, operations.Count);
        Assert.All(operations, op =>
        {
            var requirement = Assert.Single(op.Value.GetProperty("security").EnumerateArray());
            Assert.Equal(["bearer"], requirement.EnumerateObject().Select(r => r.Name));
        });
    }

    // The document gave the bodies' fields in camelCase and numbers also as strings (the host's web defaults), which the
    // API refuses: a client generated from it lost the rollback guard and key budgets.
    [Fact]
    public async Task OpenApiDocument_BodyFieldsAreTheOnesTheApiReads_SnakeCaseNumbersOnlyNoOthers()
    {
        await using var h = await AdminHarness.StartAsync();

        var (_, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/openapi.json", bearer: null);

        var schemas = JsonDocument.Parse(body).RootElement.GetProperty("components").GetProperty("schemas");
        var rollback = schemas.GetProperty("RollbackRequest");
        Assert.Equal(["to", "reason", "expected_revision"], rollback.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.False(rollback.GetProperty("additionalProperties").GetBoolean());
        var revision = rollback.GetProperty("properties").GetProperty("expected_revision");
        Assert.Equal(["null", "integer"], revision.GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.False(revision.TryGetProperty("pattern", out _));
        Assert.Equal(["name", "rpm", "budget_usd_per_day"], schemas.GetProperty("KeyCreateRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["release", "steps", "min_requests", "max_duration", "reason", "force", "require_shadow"], schemas.GetProperty("RolloutStartRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["release", "rate", "max_cost_usd", "max_requests", "reason"], schemas.GetProperty("ShadowStartRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name));

        // A resend takes no field: the document says so, as the API refuses one.
        var resend = schemas.GetProperty("AlertResendRequest");
        Assert.False(resend.GetProperty("additionalProperties").GetBoolean());
        Assert.Empty(resend.TryGetProperty("properties", out var fields) ? fields.EnumerateObject().Select(p => p.Name) : []);

        // The fields an operation cannot do without are listed as required, by the names the API reads.
        string[] Required(string schema) => schemas.GetProperty(schema).TryGetProperty("required", out var r) ? [.. r.EnumerateArray().Select(n => n.GetString()!).Order()] : [];
        Assert.Equal(["name", "role"], Required("TokenCreateRequest"));
        Assert.Equal(["name"], Required("KeyCreateRequest"));
        Assert.Equal(["release"], Required("PromoteRequest"));
        Assert.Equal(["release"], Required("RolloutStartRequest"));
        Assert.Equal(["rate", "release"], Required("ShadowStartRequest"));
        Assert.Empty(Required("RollbackRequest"));
    }
}
