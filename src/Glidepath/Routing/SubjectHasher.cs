using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Routing;

/// <summary>
/// One-way hash of a subject key, so traces can group by subject without storing who it is: the first 16 hex
/// digits of HMAC-SHA256(store's subject key, "subject:" + key). Keyed by a per-store random secret
/// (<see cref="Storage.StoreIdentity.SubjectKey"/>), so a hash seen in a trace, a span or a log cannot be matched
/// against a dictionary of emails without the store itself. Thread-safe; <see cref="Rekey"/> follows a replaced store.
/// </summary>
public sealed class SubjectHasher
{
    private byte[] _key;

    public SubjectHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = (byte[])key.Clone();
    }

    public string Hash(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(Volatile.Read(ref _key), Encoding.UTF8.GetBytes("subject:" + subject), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>Hashes with another key from now on (the store was replaced by one with its own secret).</summary>
    public void Rekey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Volatile.Write(ref _key, (byte[])key.Clone());
    }
}
