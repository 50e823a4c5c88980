namespace Glidepath.Bench.DriftSim;

/// <summary>xoshiro256** seeded by SplitMix64: fast, and the same stream for the same seed on every machine.</summary>
internal sealed class Rng
{
    private ulong s0, s1, s2, s3;
    private double spare = double.NaN;

    public Rng(ulong seed)
    {
        s0 = SplitMix(ref seed);
        s1 = SplitMix(ref seed);
        s2 = SplitMix(ref seed);
        s3 = SplitMix(ref seed);
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public bool Bernoulli(double p) => NextDouble() < p;

    public double Normal()
    {
        if (!double.IsNaN(spare))
        {
            var v = spare;
            spare = double.NaN;
            return v;
        }

        double u1 = 1 - NextDouble(), u2 = NextDouble();
        var r = Math.Sqrt(-2 * Math.Log(u1));
        spare = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    private ulong Next()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
