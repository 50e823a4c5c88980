using Glidepath.Access;

namespace Glidepath.Gateway.Admin;

/// <summary>The outcome of checking a request's credential: the principal, or why there is none.</summary>
internal sealed record AdminAuthentication(Principal? Principal, string? Refusal)
{
    public static AdminAuthentication Accepted(Principal principal) => new(principal, null);

    public static AdminAuthentication Refused(string reason) => new(null, reason);
}
