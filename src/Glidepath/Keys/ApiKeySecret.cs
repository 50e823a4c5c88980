using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Keys;

/// <summary>
/// The key a caller holds: <c>gpk_</c> + 32 random bytes in base64url. The store keeps only
/// HMAC-SHA256(store secret, "api-key:" + key), so a copy of the keys table without the store's secret cannot be
/// turned into working keys, and the same key hashes differently in another store.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "gpk_";

    /// <summary>A new random key.</summary>
    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new random key id (not secret).</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether <paramref name="value"/> has the shape of a key (it may still be unknown).</summary>
    public static bool LooksLikeKey(string? value) => value is { Length: 47 } && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The keyed hash the store keeps and the gateway compares: 64 lower-case hex digits.</summary>
    public static string Hash(ReadOnlySpan<byte> storeSecret, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(storeSecret, Encoding.UTF8.GetBytes("api-key:" + key), hash);
        return Convert.ToHexStringLower(hash);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
