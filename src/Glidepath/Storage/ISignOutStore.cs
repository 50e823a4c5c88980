using Glidepath.Access;

namespace Glidepath.Storage;

/// <summary>Dashboard sessions signed out before they expired (<see cref="SignedOutSession"/>).</summary>
public interface ISignOutStore
{
    /// <summary>
    /// Records a sign-out; signing the same session out again keeps the first record. Forgets the sign-outs of sessions
    /// that had expired before <see cref="SignedOutSession.SignedOutAt"/>, so the records do not pile up.
    /// </summary>
    Task AddAsync(SignedOutSession signOut, CancellationToken cancellationToken);

    /// <summary>Whether the app's session with this id was signed out.</summary>
    Task<bool> IsSignedOutAsync(string app, string sessionId, CancellationToken cancellationToken);
}
