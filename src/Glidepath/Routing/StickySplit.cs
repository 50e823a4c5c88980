using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Routing;

/// <summary>
/// The sticky split: bucket = sha256(key + seed) mapped to [0, 100); a request goes to the canary iff its
/// bucket is below the canary weight. Buckets do not depend on the weight, so raising the weight only ever
/// adds subjects to the canary: a ramp 10 → 25 keeps every subject that was already there.
/// </summary>
public static class StickySplit
{
    private const double TwoTo64 = 18446744073709551616.0;

    /// <summary>The subject's bucket in [0, 100), stable for a given key and seed.</summary>
    public static double Bucket(string key, string seed)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length + seed.Length);
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented ?? stackalloc byte[512];
        try
        {
            var written = Encoding.UTF8.GetBytes(key, buffer);
            written += Encoding.UTF8.GetBytes(seed, buffer[written..]);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer[..written], hash);
            var top = BinaryPrimitives.ReadUInt64BigEndian(hash);
            var bucket = top / TwoTo64 * 100.0;
            return bucket >= 100.0 ? Math.BitDecrement(100.0) : bucket;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True when a subject in <paramref name="bucket"/> belongs to a canary of <paramref name="weight"/> percent.</summary>
    public static bool IsCanary(double bucket, double weight) => bucket < weight;
}
