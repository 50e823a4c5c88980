using Glidepath.Keys;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>A caller's key as the admin API shows it (never the key), turned back into an <see cref="ApiKey"/> without its hash for the text output.</summary>
internal sealed record KeyRow(string Id, string Name, string App, string Environment, int? Rpm, double? BudgetUsdPerDay, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt,
    string? RevokedBy = null, string? RevokeReason = null)
{
    public ApiKey ToKey() => new()
    {
        Id = Id,
        Name = Name,
        App = App,
        Environment = Environment,
        KeyHash = "",
        RequestsPerMinute = Rpm,
        BudgetUsdPerDay = BudgetUsdPerDay,
        CreatedAt = CreatedAt,
        CreatedBy = CreatedBy,
        RevokedAt = RevokedAt,
        RevokedBy = RevokedBy,
        RevokeReason = RevokeReason,
    };
}
