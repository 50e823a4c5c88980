using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Routing;

/// <summary>One-way hash of a subject key, so traces can group by subject without storing who it is.</summary>
public static class SubjectHash
{
    public static string Of(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("subject:" + key), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
