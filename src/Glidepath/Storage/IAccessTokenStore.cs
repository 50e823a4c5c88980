using Glidepath.Access;

namespace Glidepath.Storage;

/// <summary>Access tokens to the admin API (hashes only, see <see cref="AccessTokenSecret"/>).</summary>
public interface IAccessTokenStore
{
    /// <summary>
    /// Adds a token; <see cref="StoreConflicts.TokenNameTaken"/> when another token of the app that is not revoked has its
    /// name in any case (enforced by the store itself, so two creates at once cannot both pass), or its id is taken.
    /// </summary>
    Task AddAsync(AccessToken token, CancellationToken cancellationToken);

    /// <summary>An app's tokens, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<AccessToken>> ListAsync(string app, CancellationToken cancellationToken);

    /// <summary>The app's token with this hash, revoked or not; null when there is none.</summary>
    Task<AccessToken?> FindAsync(string app, string tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a token revoked as <paramref name="revocation"/> says (when, by whom, why); the token as now stored, or null
    /// when the app has no token with that id. Revoking twice keeps the first revocation: its time, actor and reason.
    /// </summary>
    Task<AccessToken?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken);
}
