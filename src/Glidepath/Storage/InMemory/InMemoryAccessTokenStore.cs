using Glidepath.Access;
using Glidepath.Errors;

namespace Glidepath.Storage.InMemory;

/// <summary>Access tokens (hashes only), in the order created.</summary>
internal sealed class InMemoryAccessTokenStore(string location) : IAccessTokenStore
{
    private readonly Lock _sync = new();
    private readonly List<AccessToken> _tokens = [];

    public Task AddAsync(AccessToken token, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(token);
            lock (_sync)
            {
                if (_tokens.Exists(t => t.Id == token.Id || t.TokenHash == token.TokenHash))
                {
                    throw new PolicyException($"cannot add token {token.Id} to the store at {location}: a token with this id exists; nothing was written");
                }

                if (_tokens.Exists(t => t.App == token.App && string.Equals(t.Name, token.Name, StringComparison.OrdinalIgnoreCase) && !t.IsRevoked))
                {
                    throw StoreConflicts.TokenNameTaken(token.Name);
                }

                _tokens.Add(token with { CreatedAt = token.CreatedAt.ToUniversalTime(), RevokedAt = token.RevokedAt?.ToUniversalTime() });
            }
        }, cancellationToken);

    public Task<IReadOnlyList<AccessToken>> ListAsync(string app, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<AccessToken>>(() =>
        {
            lock (_sync)
            {
                return [.. _tokens.Where(t => t.App == app)];
            }
        }, cancellationToken);

    public Task<AccessToken?> FindAsync(string app, string tokenHash, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _tokens.Find(t => t.App == app && t.TokenHash == tokenHash);
            }
        }, cancellationToken);

    public Task<AccessToken?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(revocation);
            lock (_sync)
            {
                var i = _tokens.FindIndex(t => t.App == app && t.Id == id);
                if (i < 0)
                {
                    return null;
                }

                if (!_tokens[i].IsRevoked)
                {
                    _tokens[i] = _tokens[i] with { RevokedAt = revocation.At.ToUniversalTime(), RevokedBy = revocation.By, RevokeReason = revocation.Reason };
                }

                return _tokens[i];
            }
        }, cancellationToken);
}
