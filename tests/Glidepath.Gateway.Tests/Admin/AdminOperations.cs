using Glidepath.Access;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// Every admin operation once, with a body that succeeds when run in this order on <see cref="AdminHarness"/>'s app after
/// <see cref="AdminMatrixTests"/>' set-up (production holds v1; staging's last rollout was aborted): staging's
/// rollouts, production's pointer, then credentials. An operation a role may not run changes nothing, so the later
/// ones still succeed for every role that may run them.
/// </summary>
internal static class AdminOperations
{
    public sealed record Operation(string Method, string Route, string Path, Role Needs, string? Body = null)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public const string TraceId = "0123456789abcdef0123456789abcdef";

    /// <summary>A drift alert on staging whose webhook delivery never ran (<see cref="AdminMatrixTests.SeedAsync"/>).</summary>
    public const string AlertId = "al-0123456789abcdef";

    public static IReadOnlyList<Operation> All { get; } =
    [
        new("GET", "/admin/v1/status", "/admin/v1/status", Role.Viewer),
        new("GET", "/admin/v1/releases", "/admin/v1/releases", Role.Viewer),
        new("GET", "/admin/v1/releases/{ref}", "/admin/v1/releases/v1", Role.Viewer),
        new("GET", "/admin/v1/releases/{ref}/verdicts", "/admin/v1/releases/v2/verdicts", Role.Viewer),
        new("GET", "/admin/v1/releases/{ref}/verdicts/{id}/cases", "/admin/v1/releases/v2/verdicts/latest/cases", Role.Viewer),
        new("GET", "/admin/v1/environments/{env}/history", "/admin/v1/environments/staging/history", Role.Viewer),
        new("GET", "/admin/v1/environments/{env}/traces", "/admin/v1/environments/staging/traces?limit=5", Role.Viewer),
        new("GET", "/admin/v1/environments/{env}/traces/{id}", $"/admin/v1/environments/staging/traces/{TraceId}", Role.Viewer),
        new("GET", "/admin/v1/environments/{env}/alerts", "/admin/v1/environments/staging/alerts", Role.Viewer),
        new("POST", "/admin/v1/environments/{env}/alerts/{id}/resend", $"/admin/v1/environments/staging/alerts/{AlertId}/resend", Role.Deployer),
        new("POST", "/admin/v1/environments/{env}/rollout/start", "/admin/v1/environments/staging/rollout/start", Role.Deployer, """{"release":"v2","reason":"matrix"}"""),
        new("GET", "/admin/v1/environments/{env}/rollout", "/admin/v1/environments/staging/rollout", Role.Viewer),
        new("GET", "/admin/v1/environments/{env}/shadow", "/admin/v1/environments/production/shadow", Role.Viewer),
        new("GET", "/admin/v1/environments/{env}/shadows", "/admin/v1/environments/production/shadows", Role.Viewer),
        new("POST", "/admin/v1/environments/{env}/shadow/start", "/admin/v1/environments/production/shadow/start", Role.Deployer, """{"release":"v2","rate":0.1,"reason":"matrix"}"""),
        new("POST", "/admin/v1/environments/{env}/shadow/stop", "/admin/v1/environments/production/shadow/stop", Role.Deployer, """{"reason":"matrix"}"""),
        new("POST", "/admin/v1/environments/{env}/rollout/pause", "/admin/v1/environments/staging/rollout/pause", Role.Deployer, """{"reason":"look"}"""),
        new("POST", "/admin/v1/environments/{env}/rollout/resume", "/admin/v1/environments/staging/rollout/resume", Role.Deployer, "{}"),
        new("POST", "/admin/v1/environments/{env}/rollout/promote", "/admin/v1/environments/staging/rollout/promote", Role.Deployer, "{}"),
        new("POST", "/admin/v1/environments/{env}/rollout/abort", "/admin/v1/environments/staging/rollout/abort", Role.Owner, """{"reason":"enough"}"""),
        new("POST", "/admin/v1/environments/{env}/promote", "/admin/v1/environments/production/promote", Role.Owner, """{"release":"v2","force":true,"reason":"matrix"}"""), // an override: the owner's decision
        new("POST", "/admin/v1/environments/{env}/rollback", "/admin/v1/environments/production/rollback", Role.Owner, """{"reason":"matrix"}"""),
        new("POST", "/admin/v1/environments/{env}/freeze", "/admin/v1/environments/production/freeze", Role.Owner, """{"reason":"matrix"}"""),
        new("POST", "/admin/v1/environments/{env}/unfreeze", "/admin/v1/environments/production/unfreeze", Role.Owner, "{}"),
        new("GET", "/admin/v1/environments/{env}/keys", "/admin/v1/environments/staging/keys", Role.Admin),
        new("POST", "/admin/v1/environments/{env}/keys", "/admin/v1/environments/staging/keys", Role.Admin, """{"name":"svc","rpm":60}"""),
        new("POST", "/admin/v1/environments/{env}/keys/{key}/revoke", "/admin/v1/environments/staging/keys/svc/revoke", Role.Admin),
        new("GET", "/admin/v1/environments/{env}/tokens", "/admin/v1/environments/staging/tokens", Role.Admin),
        new("POST", "/admin/v1/environments/{env}/tokens", "/admin/v1/environments/staging/tokens", Role.Admin, """{"name":"bob","role":"viewer"}"""),
        new("POST", "/admin/v1/environments/{env}/tokens/{token}/revoke", "/admin/v1/environments/staging/tokens/bob/revoke", Role.Admin),
    ];
}
