namespace Glidepath.Bench.CanarySim;

/// <summary>A suite's seeded runs, in parallel for the bench or one after another (a CI test on a shared machine).</summary>
internal static class SeededRuns
{
    /// <summary>Calls <paramref name="one"/> for every run from 0 to <paramref name="runs"/> − 1; each run seeds its own generator, so the order does not change the results.</summary>
    public static void Each(int runs, bool parallel, Action<int> one)
    {
        if (parallel)
        {
            Parallel.For(0, runs, one);
            return;
        }

        for (var run = 0; run < runs; run++)
        {
            one(run);
        }
    }
}
