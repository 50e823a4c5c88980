using Glidepath.Access;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>An access token as the admin API shows it (never the token), turned back into an <see cref="AccessToken"/> without its hash for the text output.</summary>
internal sealed record TokenRow(
    string Id, string Name, string App, string Environment, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt,
    string? RevokedBy = null, string? RevokeReason = null)
{
    public AccessToken ToToken() => new()
    {
        Id = Id,
        Name = Name,
        App = App,
        Environment = Environment,
        Role = RoleNames.TryParse(Role) ?? throw new Glidepath.Errors.OperationalException($"the admin API answered a token with the role '{Role}', which this CLI does not know (a different Glidepath version?)"),
        TokenHash = "",
        CreatedAt = CreatedAt,
        CreatedBy = CreatedBy,
        RevokedAt = RevokedAt,
        RevokedBy = RevokedBy,
        RevokeReason = RevokeReason,
    };
}
