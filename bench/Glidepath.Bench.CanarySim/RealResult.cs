namespace Glidepath.Bench.CanarySim;

/// <summary>What the judge did in each seeded run of a scenario.</summary>
internal sealed record RealResult(int Runs, int RolledBack, int Advanced, long[] Stops)
{
    public int Undecided => Runs - RolledBack - Advanced;

    /// <summary>Canary requests by which 80% of all runs had rolled back; ∞ when fewer than 80% ever did.</summary>
    public double P80Stop
    {
        get
        {
            var sorted = Stops.Where(s => s >= 0).Order().ToArray();
            var need = (int)Math.Ceiling(0.8 * Runs);
            return sorted.Length >= need ? sorted[need - 1] : double.PositiveInfinity;
        }
    }
}
