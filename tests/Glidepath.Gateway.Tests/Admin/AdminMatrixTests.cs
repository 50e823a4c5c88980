using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Rollouts;
using Glidepath.Traces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// Every role × every admin operation over real HTTP on Kestrel, with a Glidepath access token and with an OpenID
/// Connect JWT: allowed operations succeed (200), the others are 403 and change nothing; every change is recorded with
/// the authenticated principal as its actor. Without a valid credential every operation is 401.
/// </summary>
public sealed class AdminMatrixTests
{
    public static TheoryData<string, Role> Principals()
    {
        var data = new TheoryData<string, Role>();
        foreach (var kind in new[] { "token", "oidc" })
        {
            foreach (var role in new[] { Role.Viewer, Role.Deployer, Role.Owner, Role.Admin })
            {
                data.Add(kind, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Principals))]
    public async Task EveryOperation_EachRole_AllowedIs200AndTheRest403_RecordedAsThePrincipal(string kind, Role role)
    {
        await using var h = await AdminHarness.StartAsync();
        await SeedAsync(h);
        var name = $"matrix-{RoleNames.Name(role)}";
        var credential = kind == "token"
            ? await h.TokenAsync(role, "*", name)
            : AdminHarness.Jwt(name, [$"Glidepath.{char.ToUpperInvariant(RoleNames.Name(role)[0])}{RoleNames.Name(role)[1..]}"]);
        var before = await EventCountsAsync(h);

        var wrong = new List<string>();
        foreach (var op in AdminOperations.All)
        {
            var (status, body) = await h.SendAsync(new HttpMethod(op.Method), op.Path, credential, op.Body);
            var expected = role >= op.Needs ? 200 : 403;
            if (status != expected)
            {
                wrong.Add($"{op}: expected {expected}, got {status} {body}");
            }
        }

        Assert.True(wrong.Count == 0, $"{kind} {RoleNames.Name(role)}:\n" + string.Join("\n", wrong));
        var actor = (kind == "token" ? "token:" : "oidc:") + name;
        foreach (var environment in new[] { "staging", "production" })
        {
            var events = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, environment, default)).Skip(before[environment]).ToList();
            Assert.All(events, e => Assert.Equal(actor, e.Actor));
            // Credentials and an alert's resend are not environment events: the resend is recorded on the alert.
            var writes = AdminOperations.All.Count(op => op.Method == "POST" && op.Path.Contains($"/{environment}/", StringComparison.Ordinal) && !op.Path.Contains("/keys", StringComparison.Ordinal) && !op.Path.Contains("/tokens", StringComparison.Ordinal) && !op.Path.Contains("/alerts/", StringComparison.Ordinal) && role >= op.Needs);
            Assert.Equal(writes, events.Count);
        }

        var alert = await h.F.Store.Monitor.GetAlertAsync(h.F.Manifest.App, AdminOperations.AlertId, default);
        Assert.Equal(role >= Role.Deployer ? ("sent", 1, 1) : ("none", 0, 0), (alert!.Notification, alert.DeliveryAttempts, h.Notifier.Posts));

        if (role == Role.Admin)
        {
            var key = (await h.F.Store.ApiKeys.ListAsync(h.F.Manifest.App, "staging", default)).Single(k => k.Name == "svc");
            var bob = (await h.F.Store.AccessTokens.ListAsync(h.F.Manifest.App, default)).Single(t => t.Name == "bob");
            Assert.Equal((actor, true, actor, true), (key.CreatedBy, key.IsRevoked, bob.CreatedBy, bob.IsRevoked));
        }
    }

    public static TheoryData<string> BadCredentials() => ["none", "garbage", "unknown-token", "revoked-token", "caller-key", "expired-jwt", "wrong-audience-jwt", "wrong-issuer-jwt", "wrong-signature-jwt", "malformed-jwt"];

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task EveryOperation_WithoutAValidCredential_Is401AndChangesNothing(string credential)
    {
        await using var h = await AdminHarness.StartAsync();
        await SeedAsync(h);
        var revoked = await h.TokenAsync(Role.Admin, "*", "gone");
        await h.Tokens.RevokeAsync(h.F.Manifest.App, "gone", "test", null, default);
        var callerKey = await new Glidepath.Keys.ApiKeyService(h.F.Store.ApiKeys, h.F.Store, TimeProvider.System).CreateAsync(h.F.Manifest.App, "staging", "svc-key", null, null, "test", default);
        var bearer = credential switch
        {
            "garbage" => "hello",
            "unknown-token" => AccessTokenSecret.New(),
            "revoked-token" => revoked,
            "caller-key" => callerKey.Secret,
            "expired-jwt" => AdminHarness.Jwt("alice", ["Glidepath.Admin"], expiresIn: TimeSpan.FromHours(-1)),
            "wrong-audience-jwt" => AdminHarness.Jwt("alice", ["Glidepath.Admin"], audience: "api://someone-else"),
            "wrong-issuer-jwt" => AdminHarness.Jwt("alice", ["Glidepath.Admin"], issuer: "https://evil.example.test/"),
            "wrong-signature-jwt" => AdminHarness.Jwt("alice", ["Glidepath.Admin"], key: AdminHarness.ForeignKey),
            "malformed-jwt" => "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
            _ => null,
        };
        var before = await EventCountsAsync(h);

        var wrong = new List<string>();
        foreach (var op in AdminOperations.All)
        {
            var (status, body) = await h.SendAsync(new HttpMethod(op.Method), op.Path, bearer, op.Body);
            if (status != 401 || !body.Contains("\"error\"", StringComparison.Ordinal))
            {
                wrong.Add($"{op}: expected 401 with an error, got {status} {body}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await EventCountsAsync(h));
        Assert.Single(await h.F.Store.ApiKeys.ListAsync(h.F.Manifest.App, null, default));
        Assert.Equal(0, h.Notifier.Posts);
    }

    [Fact]
    public async Task TheOperationList_CoversEveryMappedAdminEndpoint()
    {
        await using var h = await AdminHarness.StartAsync();
        var endpoints = h.F.Server!.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Glidepath.Gateway.Admin.AdminAccess>() is not null)
            .Select(e => $"{e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single()} {e.RoutePattern.RawText}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(AdminOperations.All.Select(o => $"{o.Method} {o.Route}").Order(StringComparer.Ordinal), endpoints);
    }

    /// <summary>Production holds v1 (forced: staging's fixture deploy leaves no promotion evidence) and had a shadow of v2, stopped; staging had a rollout, aborted, and v2 passed the gate against its v1; one staging trace and one drift alert, never posted.</summary>
    internal static async Task SeedAsync(AdminHarness h)
    {
        var (store, manifest) = (h.F.Store, h.F.Manifest);
        var environments = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, TimeProvider.System);
        await environments.PromoteAsync("production", h.F.V1, "setup", "seed", force: true, default);
        var shadows = new Glidepath.Shadow.ShadowService(manifest, environments, store.Environments, store.Shadows, TimeProvider.System);
        await shadows.StartAsync("production", h.F.V2, 0.1, null, null, "setup", "seed", default);
        await shadows.StopAsync("production", "setup", "seed", default);
        var rollouts = new RolloutService(manifest, environments, store.Environments, store.Rollouts, store.Traces, TimeProvider.System);
        await rollouts.StartAsync("staging", h.F.V2, RolloutService.PlanFrom(manifest, null, null, null), "setup", "seed", force: true, default);
        await rollouts.AbortAsync("staging", "setup", "seed", default);
        await Glidepath.Testing.GateRunSeed.SeedAsync(store, manifest.App, h.F.V2.Id, h.F.V1.Id, result: "pass", // v2 may start in staging unforced
            basis: await Glidepath.Evals.Gate.GateBasis.CurrentAsync(manifest, default));
        await store.Traces.WriteBatchAsync([new TraceRecord
        {
            TraceId = AdminOperations.TraceId,
            App = manifest.App,
            Environment = "staging",
            ReleaseId = h.F.V1.Id,
            Arm = "stable",
            StartedAt = DateTimeOffset.UtcNow,
            Api = "openai",
            Status = 200,
            LatencyMs = 10,
            OverheadMs = 1,
        }], default);
        await store.Monitor.SaveAlertAsync(h.Alert(AdminOperations.AlertId, "staging", h.F.V1.Id), default);
    }

    private static async Task<Dictionary<string, int>> EventCountsAsync(AdminHarness h) => new()
    {
        ["staging"] = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "staging", default)).Count,
        ["production"] = (await h.F.Store.Environments.HistoryAsync(h.F.Manifest.App, "production", default)).Count,
    };
}
