namespace Glidepath.Access;

/// <summary>
/// A dashboard session ended by "Sign out" before its cookie expired. The cookie carries the session's random id beside
/// the credential, so a copy of it taken before the sign-out is refused afterwards, on every gateway of the store.
/// </summary>
public sealed record SignedOutSession
{
    /// <summary>The session's random id from its cookie (32 hex digits); not a credential on its own.</summary>
    public required string SessionId { get; init; }
    public required string App { get; init; }
    public required DateTimeOffset SignedOutAt { get; init; }

    /// <summary>When the session's cookie would have expired anyway: after it the record is of no use and may be forgotten.</summary>
    public required DateTimeOffset Until { get; init; }
}
