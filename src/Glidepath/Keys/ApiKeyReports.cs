namespace Glidepath.Keys;

/// <summary>The JSON answers of <c>keys create|list|revoke</c>, shared by the CLI's <c>--format json</c> and the admin API. A key itself appears only in <see cref="Created"/>.</summary>
public static class ApiKeyReports
{
    /// <summary><c>keys create</c>: <c>{key, info}</c>, the key shown this once.</summary>
    public static object Created(CreatedApiKey created)
    {
        ArgumentNullException.ThrowIfNull(created);
        return new { key = created.Secret, info = View(created.Key) };
    }

    /// <summary><c>keys list</c>: <c>{app, keys}</c>.</summary>
    public static object List(string app, IEnumerable<ApiKey> keys) => new { app, keys = keys.Select(View) };

    /// <summary><c>keys revoke</c>: <c>{revoked}</c>.</summary>
    public static object Revoked(ApiKey key) => new { revoked = View(key) };

    private static object View(ApiKey k) => new
    {
        id = k.Id,
        name = k.Name,
        app = k.App,
        environment = k.Environment,
        rpm = k.RequestsPerMinute,
        budget_usd_per_day = k.BudgetUsdPerDay,
        created_at = k.CreatedAt,
        created_by = k.CreatedBy,
        revoked_at = k.RevokedAt,
        revoked_by = k.RevokedBy,
        revoke_reason = k.RevokeReason,
    };
}
