namespace Glidepath.Traces;

/// <summary>
/// The fixed latency histogram of trace aggregates: upper bounds 2^(k/4) ms for k = 0 … 80 (1 ms to about
/// 17 minutes, each bucket 19% wider than the one before), then everything above. Fine enough for the judge's
/// tail metrics to place the stable arm's p95 or p99 within a fifth of its value.
/// </summary>
public static class LatencyBuckets
{
    private const int PerDoubling = 4;
    private const int Finite = 81;

    public static readonly IReadOnlyList<double> UpperBoundsMs = Bounds();

    /// <summary>The bucket a latency falls in: the first whose upper bound is at least the latency.</summary>
    public static int IndexOf(double latencyMs)
    {
        if (!(latencyMs > 1))
        {
            return 0;
        }

        var i = (int)Math.Ceiling(PerDoubling * Math.Log2(latencyMs));
        i = Math.Clamp(i, 0, Finite);
        while (i > 0 && latencyMs <= UpperBoundsMs[i - 1])
        {
            i--;
        }

        while (i < Finite && latencyMs > UpperBoundsMs[i])
        {
            i++;
        }

        return i;
    }

    private static double[] Bounds()
    {
        var bounds = new double[Finite + 1];
        for (var k = 0; k < Finite; k++)
        {
            bounds[k] = Math.Pow(2, (double)k / PerDoubling);
        }

        bounds[Finite] = double.PositiveInfinity;
        return bounds;
    }

    /// <summary>A histogram as stored: nonzero buckets only, as {"bucket": count} (most of a group's minute has a handful).</summary>
    public static string ToSparseJson(long[] histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var sparse = new SortedDictionary<int, long>();
        for (var i = 0; i < histogram.Length; i++)
        {
            if (histogram[i] != 0)
            {
                sparse[i] = histogram[i];
            }
        }

        return System.Text.Json.JsonSerializer.Serialize(sparse);
    }

    /// <summary>Adds a stored sparse histogram (<see cref="ToSparseJson"/>) into <paramref name="into"/>; unknown buckets are ignored.</summary>
    public static void AddSparseJson(long[] into, string json)
    {
        ArgumentNullException.ThrowIfNull(into);
        var sparse = System.Text.Json.JsonSerializer.Deserialize<Dictionary<int, long>>(json) ?? [];
        foreach (var (i, count) in sparse)
        {
            if (i >= 0 && i < into.Length)
            {
                into[i] += count;
            }
        }
    }
}
