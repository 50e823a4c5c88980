using Glidepath.Access;

namespace Glidepath.Gateway.Admin;

/// <summary>The outcome of checking a request's credential: the principal, or why there is none.</summary>
/// <param name="Refusal">What the caller is told.</param>
/// <param name="Token">What the log is told of a credential refused (null when there was none, or it was accepted).</param>
internal sealed record AdminAuthentication(Principal? Principal, string? Refusal, TokenRefusal? Token = null)
{
    public static AdminAuthentication Accepted(Principal principal) => new(principal, null);

    public static AdminAuthentication Refused(string reason) => new(null, reason);

    public static AdminAuthentication Refused(string reason, TokenRefusal token) => new(null, reason, token);
}
