using Glidepath.Access;
using Glidepath.Keys;

namespace Glidepath.Storage;

/// <summary>Callers' keys to the gateway (hashes only, see <see cref="ApiKeySecret"/>).</summary>
public interface IApiKeyStore
{
    /// <summary>Adds a key; a <see cref="Errors.PolicyException"/> when another key of the app that is not revoked has its name, or its id is taken.</summary>
    Task AddAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>An app's keys (of one environment when given), revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(string app, string? environment, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a key revoked as <paramref name="revocation"/> says (when, by whom, why); the key as now stored, or null when
    /// the app has no key with that id. Revoking twice keeps the first revocation: its time, actor and reason.
    /// </summary>
    Task<ApiKey?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken);
}
