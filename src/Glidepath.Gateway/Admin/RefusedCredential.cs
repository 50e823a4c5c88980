namespace Glidepath.Gateway.Admin;

/// <summary>Why a credential presented to the admin API or the dashboard was refused: one log line per kind at most a minute (<see cref="RefusedCredentialLog"/>).</summary>
internal enum RefusedCredential
{
    /// <summary>A well-formed access token (<c>gpt_…</c>) that is not one of the app's.</summary>
    UnknownToken,

    /// <summary>One of the app's access tokens, revoked.</summary>
    RevokedToken,

    /// <summary>Begins with <c>gpt_</c> but has not the shape of an access token.</summary>
    MalformedToken,

    /// <summary>A caller's key (<c>gpk_…</c>), which is for the traffic API.</summary>
    CallerKey,

    /// <summary>Another bearer token, on a server that accepts no OpenID Connect tokens.</summary>
    NotAccepted,

    /// <summary>An OpenID Connect token past its expiry.</summary>
    ExpiredJwt,

    /// <summary>An OpenID Connect token that did not validate otherwise (audience, issuer, signature, shape).</summary>
    InvalidJwt,

    /// <summary>A valid OpenID Connect token whose actor claim cannot be recorded (missing, too long, not printable).</summary>
    UnusableActor,
}
