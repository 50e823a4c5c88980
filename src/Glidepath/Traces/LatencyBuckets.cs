namespace Glidepath.Traces;

/// <summary>The fixed latency histogram bounds (ms) used by trace aggregates; the last bucket is everything above.</summary>
public static class LatencyBuckets
{
    public static readonly IReadOnlyList<double> UpperBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, double.PositiveInfinity];

    public static int IndexOf(double latencyMs)
    {
        for (var i = 0; i < UpperBoundsMs.Count - 1; i++)
        {
            if (latencyMs <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Count - 1;
    }
}
