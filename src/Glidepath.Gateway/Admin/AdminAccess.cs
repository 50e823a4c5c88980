using Glidepath.Access;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Endpoint metadata: the role an admin operation needs, in the environment its route names (<c>{env}</c>) or, for an
/// app-wide operation, in any environment. Every admin endpoint carries one; <see cref="AdminAccessFilter"/> enforces it.
/// </summary>
public sealed record AdminAccess(string Operation, Role Role, bool EnvironmentScoped);
