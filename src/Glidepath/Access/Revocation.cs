namespace Glidepath.Access;

/// <summary>
/// Who revoked a caller's key or an access token, when and why. Kept with the credential: revoking a key cuts a
/// service's traffic and revoking a token an operator's access, so the act is attributed like a change of an
/// environment (the actor is the principal, never a field of the request).
/// </summary>
/// <param name="At">When it stopped working.</param>
/// <param name="By">The actor: <c>token:NAME</c> or <c>oidc:SUB</c> through the admin API, the local actor on the CLI.</param>
/// <param name="Reason">Why, as given (checked by <see cref="Environments.RecordedText.Reason"/>); null when none was.</param>
public sealed record Revocation(DateTimeOffset At, string By, string? Reason);
