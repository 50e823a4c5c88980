using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Keys;

namespace Glidepath.Storage.InMemory;

/// <summary>Callers' keys (hashes only), in the order created.</summary>
internal sealed class InMemoryApiKeyStore(string location) : IApiKeyStore
{
    private readonly Lock _sync = new();
    private readonly List<ApiKey> _keys = [];

    public Task AddAsync(ApiKey key, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(key);
            lock (_sync)
            {
                if (_keys.Exists(k => k.Id == key.Id || k.KeyHash == key.KeyHash))
                {
                    throw new PolicyException($"cannot add key {key.Id} to the store at {location}: a key with this id exists; nothing was written");
                }

                if (_keys.Exists(k => k.App == key.App && k.Name == key.Name && !k.IsRevoked))
                {
                    throw new PolicyException($"'{key.App}' already has a key named '{key.Name}' that is not revoked; revoke it first ('glidepath keys revoke {key.Name}') or choose another name");
                }

                _keys.Add(key with { CreatedAt = key.CreatedAt.ToUniversalTime(), RevokedAt = key.RevokedAt?.ToUniversalTime() });
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListAsync(string app, string? environment, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<ApiKey>>(() =>
        {
            lock (_sync)
            {
                return [.. _keys.Where(k => k.App == app && (environment is null || k.Environment == environment))];
            }
        }, cancellationToken);

    public Task<ApiKey?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(revocation);
            lock (_sync)
            {
                var i = _keys.FindIndex(k => k.App == app && k.Id == id);
                if (i < 0)
                {
                    return null;
                }

                if (!_keys[i].IsRevoked)
                {
                    _keys[i] = _keys[i] with { RevokedAt = revocation.At.ToUniversalTime(), RevokedBy = revocation.By, RevokeReason = revocation.Reason };
                }

                return _keys[i];
            }
        }, cancellationToken);
}
