namespace Glidepath.Evals.Gate;

/// <summary>
/// Holm's step-down correction for discrete tests (the "discrete Bonferroni" of Tarone, Westfall–Wolfinger
/// and Döhler et al., made step-down). Instead of charging every test the full threshold t, a test is
/// charged F(t), the largest p-value it can actually produce that is ≤ t: a case that passed every trial
/// on both sides can never be significant and costs nothing, a case with one failure in twenty costs at
/// most 0.5 only once t reaches 0.5. Adjusted p of the k-th smallest p is
/// max over l ≤ k of Σ_{j ranked ≥ l} F_j(p_(l)), capped at 1.
/// </summary>
/// <remarks>
/// Family-wise error ≤ α for any dependence between cases: under the null P(p_j ≤ t) ≤ F_j(t) for an exact
/// test, so the union bound gives P(any rejection in I) ≤ Σ_{j∈I} F_j(t_I) ≤ α for every intersection I,
/// and the step-down only rejects what that closed test rejects.
/// </remarks>
public static class DiscreteHolm
{
    /// <param name="pValues">Each test's observed p-value.</param>
    /// <param name="attainable">Per test (same order), every p-value it can produce, ascending (values of 0 are ignored).</param>
    /// <returns>Adjusted p-values: reject a test when its adjusted p-value is ≤ α.</returns>
    public static double[] Adjust(IReadOnlyList<double> pValues, IReadOnlyList<double[]> attainable)
    {
        if (pValues.Count != attainable.Count)
        {
            throw new ArgumentException("every p-value needs its attainable values");
        }

        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var k = 0; k < m; k++)
        {
            var threshold = pValues[order[k]];
            if (running < 1)
            {
                var charge = 0.0;
                for (var r = k; r < m && charge < 1; r++)
                {
                    charge += Charge(attainable[order[r]], threshold);
                }

                running = Math.Max(running, Math.Min(1, charge));
            }

            adjusted[order[k]] = running;
        }

        return adjusted;
    }

    /// <summary>F(t): the largest attainable p-value ≤ t, or 0 when the test cannot reach t.</summary>
    public static double Charge(double[] attainable, double threshold)
    {
        int lo = 0, hi = attainable.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (attainable[mid] <= threshold)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : attainable[found];
    }
}
