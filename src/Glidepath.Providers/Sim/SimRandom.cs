using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Providers.Sim;

/// <summary>Deterministic randomness: a <see cref="Random"/> seeded from a hash of the given parts.</summary>
internal static class SimRandom
{
    public static Random From(params object[] parts)
    {
        var text = string.Join("\u001f", parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new Random(BitConverter.ToInt32(hash, 0));
    }

    /// <summary>Standard Gumbel noise, for sampling the best line "at a temperature".</summary>
    public static double Gumbel(Random random) => -Math.Log(-Math.Log(Math.Clamp(random.NextDouble(), 1e-12, 1 - 1e-12)));

    /// <summary>Log-normal with the given median and log-space sigma.</summary>
    public static double LogNormal(Random random, double median, double sigma)
    {
        var u1 = Math.Clamp(random.NextDouble(), 1e-12, 1.0);
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * z);
    }
}
