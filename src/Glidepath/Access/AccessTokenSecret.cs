using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Access;

/// <summary>
/// The token a person holds: <c>gpt_</c> + 32 random bytes in base64url (a caller's key is <c>gpk_</c>: the two are never
/// confused). The store keeps only HMAC-SHA256(store secret, "access-token:" + token), the way
/// <see cref="Keys.ApiKeySecret"/> keeps keys, with a different label so a key's hash can never match a token's.
/// </summary>
public static class AccessTokenSecret
{
    public const string Prefix = "gpt_";

    /// <summary>A new random token.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A new random token id (not secret).</summary>
    public static string NewId() => "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether <paramref name="value"/> has the shape of a token (it may still be unknown).</summary>
    public static bool LooksLikeToken(string? value) => value is { Length: 47 } && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The keyed hash the store keeps and the admin API compares: 64 lower-case hex digits.</summary>
    public static string Hash(ReadOnlySpan<byte> storeSecret, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(storeSecret, Encoding.UTF8.GetBytes("access-token:" + token), hash);
        return Convert.ToHexStringLower(hash);
    }
}
