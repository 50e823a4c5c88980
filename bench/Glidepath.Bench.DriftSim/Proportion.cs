namespace Glidepath.Bench.DriftSim;

/// <summary>A count out of a total with its two-sided 95% Wilson interval.</summary>
internal readonly record struct Proportion(long Count, long Total)
{
    public double Rate => Total == 0 ? double.NaN : (double)Count / Total;

    public (double Lower, double Upper) Wilson()
    {
        if (Total == 0)
        {
            return (double.NaN, double.NaN);
        }

        const double z = 1.959964;
        var p = Rate;
        var centre = (p + (z * z / (2 * Total))) / (1 + (z * z / Total));
        var half = z * Math.Sqrt((p * (1 - p) / Total) + (z * z / (4.0 * Total * Total))) / (1 + (z * z / Total));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public override string ToString()
    {
        if (Total == 0)
        {
            return "–";
        }

        var (lower, upper) = Wilson();
        return $"{Count}/{Total} = {Rate:P1} [{lower:P1}, {upper:P1}]";
    }
}
