using System.Globalization;

/// <summary>
/// <c>glidepath gate</c> as its own process on the same stores and upstream as <see cref="ProcessBench"/>: the working
/// tree (the sample's prompt with one line more) against v1, every call uncached (both sides), at 1×, 10× and (with
/// --memory) 20× the cases. Whether the gate's peak RSS stays flat in the number of cases, as the eval run's does.
/// </summary>
internal static class GateBench
{
    private const double LatencySeconds = 0.05;

    /// <returns>False when the gate's memory grows with the cases (20× against 10× above 1.1×, or 10× against 1× above 1.5×).</returns>
    public static async Task<bool> RunAsync(string dir, string manifest, IReadOnlyList<string> stores, IReadOnlyList<(string Name, string Dll)> clis, int cases, int concurrency, bool memory)
    {
        // The candidate: the working tree, one prompt line more than v1 (the release the eval runs registered in each store).
        File.AppendAllText(Path.Combine(dir, "prompts", "system.md"), "- Gift wrapping: we gift wrap any order for free on request.\n");
        var datasets = new List<(string Path, int Cases)> { ("evals/small.jsonl", cases), ("evals/large.jsonl", 10 * cases) };
        if (memory)
        {
            datasets.Add(("evals/double.jsonl", 20 * cases));
        }

        var runs = new ProcessBench.Run[clis.Count, datasets.Count];
        for (var d = 0; d < datasets.Count; d++)
        {
            // The cases become the manifest's own dataset: a gate given another --dataset is partial (its pass is not
            // stored), so each size is gated whole, as a repository would, and every build writes the same verdict.
            File.Copy(Path.Combine(dir, datasets[d].Path), Path.Combine(dir, "evals", "support.jsonl"), overwrite: true);
            for (var i = 0; i < clis.Count; i++)
            {
                runs[i, d] = await ProcessBench.RunCliAsync(clis[i].Dll, dir, stores[i],
                    ["gate", "working", "--baseline", "v1", "--no-cache", "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--format", "json", "--manifest", manifest]);
            }
        }

        var ok = true;
        for (var i = 0; i < clis.Count; i++)
        {
            ProcessBench.TableHeader($"gate, {clis[i].Name}: working (one prompt line more) against v1, uncached, both sides called");
            for (var d = 0; d < datasets.Count; d++)
            {
                var calls = 2 * datasets[d].Cases;
                ProcessBench.Row($"gate, {datasets[d].Cases} cases", runs[i, d], calls * LatencySeconds / concurrency, "", calls);
            }

            var tenfold = runs[i, 1].PeakRssMiB / runs[i, 0].PeakRssMiB;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gate peak RSS of the {10 * cases}-case run against the {cases}-case run: {tenfold:0.00}×"));
            ok &= tenfold <= 1.5;
            if (memory)
            {
                var doubled = runs[i, 2].PeakRssMiB / runs[i, 1].PeakRssMiB;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gate peak RSS of the {20 * cases}-case run against the {10 * cases}-case run: {doubled:0.00}× (target ≤ 1.1×: memory flat in the number of cases)"));
                ok &= doubled <= 1.1;
            }
        }

        return ok;
    }
}
