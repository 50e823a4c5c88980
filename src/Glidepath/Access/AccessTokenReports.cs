namespace Glidepath.Access;

/// <summary>The JSON answers of <c>tokens create|list|revoke</c>, shared by the CLI's <c>--format json</c> and the admin API. A token itself appears only in <see cref="Created"/>.</summary>
public static class AccessTokenReports
{
    /// <summary><c>tokens create</c>: <c>{token, info}</c>, the token shown this once.</summary>
    public static object Created(CreatedAccessToken created)
    {
        ArgumentNullException.ThrowIfNull(created);
        return new { token = created.Secret, info = View(created.Token) };
    }

    /// <summary><c>tokens list</c>: <c>{app, tokens}</c>.</summary>
    public static object List(string app, IEnumerable<AccessToken> tokens) => new { app, tokens = tokens.Select(View) };

    /// <summary><c>tokens revoke</c>: <c>{revoked}</c>.</summary>
    public static object Revoked(AccessToken token) => new { revoked = View(token) };

    private static object View(AccessToken t) => new
    {
        id = t.Id,
        name = t.Name,
        app = t.App,
        environment = t.Environment,
        role = RoleNames.Name(t.Role),
        created_at = t.CreatedAt,
        created_by = t.CreatedBy,
        revoked_at = t.RevokedAt,
        revoked_by = t.RevokedBy,
        revoke_reason = t.RevokeReason,
    };
}
