using Glidepath.Access;

namespace Glidepath.Storage;

/// <summary>Dashboard sessions signed out before they expired (<see cref="SignedOutSession"/>).</summary>
public interface ISignOutStore
{
    /// <summary>How long after a session's <see cref="SignedOutSession.Until"/> its record is kept.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Records a sign-out; signing the same session out again keeps the first record. Forgets the sign-outs of sessions
    /// that had expired more than <see cref="ForgetAfter"/> before <see cref="SignedOutSession.SignedOutAt"/> (the margin
    /// allows for gateways whose clocks differ), so the records do not pile up.
    /// </summary>
    Task AddAsync(SignedOutSession signOut, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the session with this id was signed out, whichever app's dashboard signed it out: a session id is random
    /// and unique, and gateways of two apps on one host may share data-protection keys, so a cookie one app ended must
    /// not open the other's dashboard.
    /// </summary>
    Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken);
}
