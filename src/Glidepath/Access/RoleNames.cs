using Glidepath.Errors;

namespace Glidepath.Access;

/// <summary>The names roles have in the CLI, the store, the API and the OIDC mapping.</summary>
public static class RoleNames
{
    public static string Name(Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Deployer => "deployer",
        Role.Owner => "owner",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    /// <summary>The role named <paramref name="name"/>, or null.</summary>
    public static Role? TryParse(string? name) => name switch
    {
        "viewer" => Role.Viewer,
        "deployer" => Role.Deployer,
        "owner" => Role.Owner,
        "admin" => Role.Admin,
        _ => null,
    };

    /// <summary>The role named <paramref name="name"/>; a <see cref="BadInputException"/> naming the four otherwise.</summary>
    public static Role Parse(string? name) =>
        TryParse(name) ?? throw new BadInputException($"role '{name}' is not one of viewer, deployer, owner, admin");
}
