using System.Collections.Frozen;
using Glidepath.Keys;

namespace Glidepath.Serving.Keys;

/// <summary>
/// An immutable snapshot of an app's keys as one gateway checks them: hash → key, with the store secret the hashes
/// are keyed with. Swapped whole by <see cref="CallerKeySource"/>; a request never reads the store.
/// </summary>
internal sealed class CallerKeyTable(byte[] secret, IReadOnlyList<ApiKey> keys)
{
    private readonly FrozenDictionary<string, ApiKey> _byHash = keys.ToFrozenDictionary(k => k.KeyHash, StringComparer.Ordinal);

    public static CallerKeyTable Empty { get; } = new([], []);

    /// <summary>Keys of the serving environment that are not revoked.</summary>
    public int WorkingKeys(string environment) => _byHash.Values.Count(k => k.WorksIn(environment));

    /// <summary>The key stored for <paramref name="presented"/>, revoked or of another environment alike; null when unknown.</summary>
    public ApiKey? Find(string presented) =>
        ApiKeySecret.LooksLikeKey(presented) && _byHash.TryGetValue(ApiKeySecret.Hash(secret, presented), out var key) ? key : null;
}
