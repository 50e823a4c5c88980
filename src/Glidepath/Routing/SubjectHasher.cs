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
    private static ReadOnlySpan<byte> Prefix => "subject:"u8;
    private byte[] _key;

    public SubjectHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = (byte[])key.Clone();
    }

    public string Hash(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        // "subject:" + the key as UTF-8, on the stack when short (every routed request hashes its subject).
        var length = Prefix.Length + Encoding.UTF8.GetMaxByteCount(subject.Length);
        var input = length <= 512 ? stackalloc byte[length] : new byte[length];
        Prefix.CopyTo(input);
        var written = Prefix.Length + Encoding.UTF8.GetBytes(subject, input[Prefix.Length..]);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(Volatile.Read(ref _key), input[..written], hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>Hashes with another key from now on (the store was replaced by one with its own secret).</summary>
    public void Rekey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Volatile.Write(ref _key, (byte[])key.Clone());
    }
}
