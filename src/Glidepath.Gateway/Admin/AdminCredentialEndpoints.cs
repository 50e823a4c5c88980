using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Gateway.Admin.Requests;
using Glidepath.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Glidepath.Gateway.Admin.AdminEnvironmentEndpoints;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Callers' keys and access tokens of one environment (tokens also of <c>*</c>, all environments): the CLI's keys and
/// tokens commands. An admin of one environment sees and changes only that environment's credentials.
/// </summary>
internal static class AdminCredentialEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.Get("/environments/{env}/keys", "list keys", Role.Admin, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            return AdminResults.View(ApiKeyReports.List(s.App, await s.Keys.ListAsync(s.App, spec.Name, http.RequestAborted)));
        }).WithTags("credentials");

        group.Post<KeyCreateRequest>("/environments/{env}/keys", "create a key", Role.Admin, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<KeyCreateRequest>(http);
            var spec = s.Environments.Spec(env);
            var created = await s.Keys.CreateAsync(s.App, spec.Name, Required(body.Name, "name", "the key's name, e.g. checkout-service"), body.Rpm, body.BudgetUsdPerDay, Actor(http), http.RequestAborted);
            return AdminResults.View(ApiKeyReports.Created(created));
        }).WithTags("credentials");

        group.Post<ReasonRequest>("/environments/{env}/keys/{key}/revoke", "revoke a key", Role.Admin, async (string env, string key, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ReasonRequest>(http);
            var spec = s.Environments.Spec(env);
            var keys = await s.Keys.ListAsync(s.App, spec.Name, http.RequestAborted);
            var found = keys.FirstOrDefault(k => k.Id == key) ?? keys.FirstOrDefault(k => k.Name == key && !k.IsRevoked)
                ?? throw new BadInputException($"no key '{key}' in '{spec.Name}' (by id, or by name among keys not revoked)");
            return AdminResults.View(ApiKeyReports.Revoked(await s.Keys.RevokeAsync(s.App, found.Id, Actor(http), body.Reason, http.RequestAborted)));
        }).WithTags("credentials");

        group.Get("/environments/{env}/tokens", "list tokens", Role.Admin, async (string env, HttpContext http, AdminServices s) =>
        {
            var scope = TokenScope(s, env);
            var tokens = await s.Tokens.ListAsync(s.App, http.RequestAborted);
            return AdminResults.View(AccessTokenReports.List(s.App, tokens.Where(t => t.Environment == scope)));
        }).WithTags("credentials");

        group.Post<TokenCreateRequest>("/environments/{env}/tokens", "create a token", Role.Admin, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<TokenCreateRequest>(http);
            var scope = TokenScope(s, env);
            var role = RoleNames.Parse(Required(body.Role, "role", "one of viewer, deployer, owner, admin"));
            var created = await s.Tokens.CreateAsync(s.App, scope, role, Required(body.Name, "name", "the token's name, e.g. ci-deploy"), Actor(http), http.RequestAborted);
            return AdminResults.View(AccessTokenReports.Created(created));
        }).WithTags("credentials");

        group.Post<ReasonRequest>("/environments/{env}/tokens/{token}/revoke", "revoke a token", Role.Admin, async (string env, string token, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ReasonRequest>(http);
            var scope = TokenScope(s, env);
            var found = await s.Tokens.FindByIdOrNameAsync(s.App, token, http.RequestAborted);
            if (found.Environment != scope)
            {
                throw new BadInputException($"no token '{token}' in '{scope}' (by id, or by name among tokens not revoked)");
            }

            return AdminResults.View(AccessTokenReports.Revoked(await s.Tokens.RevokeAsync(s.App, found.Id, Actor(http), body.Reason, http.RequestAborted)));
        }).WithTags("credentials");
    }

    /// <summary>A body field the operation cannot do without: missing or empty is a 400 saying so, not a complaint about <c>''</c>.</summary>
    private static string Required(string? value, string field, string expected) =>
        string.IsNullOrEmpty(value) ? throw new BadInputException($"'{field}' is required: {expected}") : value;

    /// <summary>A declared environment, or <c>*</c> for tokens of all environments.</summary>
    private static string TokenScope(AdminServices s, string env) => env == Grant.AnyEnvironment ? env : s.Environments.Spec(env).Name;
}
