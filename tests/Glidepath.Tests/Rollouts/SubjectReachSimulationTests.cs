using System.Globalization;
using Xunit.Abstractions;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// The estimate against the capped Kish count of splitting the users themselves, over equal and Zipf-distributed
/// activity (docs/benchmarks.md, "Subjects a step reaches": the table there is this test's output, run with
/// <c>--logger "console;verbosity=detailed"</c>). Fixed seeds: the same figures on every run.
/// </summary>
public sealed class SubjectReachSimulationTests(ITestOutputHelper output)
{
    private static readonly int[] Users = [50, 200, 1000, 5000];
    private static readonly double[] Zipf = [0, 0.8, 1.0, 1.2, 1.5];
    private static readonly double[] Shares = [0.05, 0.10, 0.25, 0.50];
    private const int Layouts = 20;

    [Fact]
    public void Estimate_OverEqualAndZipfUsers_NoLowerThanBefore_AndNoMoreMissedWarnings()
    {
        var cells = new List<SubjectReachCell>();
        var seed = 1;
        foreach (var users in Users)
        {
            foreach (var zipf in Zipf)
            {
                foreach (var share in Shares)
                {
                    cells.Add(SubjectReachSimulation.Run(users, zipf, share, Layouts, seed++));
                }
            }
        }

        Print(cells);
        Assert.All(cells, c =>
        {
            // Never further above the truth than the group counts' own noise (a fifth either way), never below the old model.
            Assert.True(c.NewRatio <= 1.25, $"{c}");
            Assert.True(c.NewRatio >= c.OldRatio - 0.05, $"{c}");
        });
        Assert.All(cells.Where(c => c.Zipf == 0), c => Assert.InRange(c.NewRatio, 0.9, 1.15));
        // The outside trial's shape: 200 Zipf users, a 50% step reaches min_subjects and is no longer warned about.
        Assert.All(cells.Where(c => c.Users == 200 && c.Zipf >= 1 && c.Share == 0.5), c =>
        {
            Assert.True(c.NewRatio >= 0.8, $"{c}");
            Assert.Equal(0, c.NewFalse);
        });
        Assert.True(cells.Sum(c => c.NewMissed) <= cells.Sum(c => c.OldMissed), $"missed: new {cells.Sum(c => c.NewMissed)}, old {cells.Sum(c => c.OldMissed)}");
    }

    private void Print(List<SubjectReachCell> cells)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine("| users | Zipf s | share | true mean | truly short | old: est/true | old: missed / false warnings | new: est/true (lowest–highest) | new: missed / false warnings | short without a warning, old → new |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cells)
        {
            output.WriteLine(string.Create(inv,
                $"| {c.Users:N0} | {(c.Zipf == 0 ? "equal" : c.Zipf.ToString("0.0", inv))} | {c.Share:0%} | {c.Truth:0.0} | {c.TrulyShort}/{c.Layouts} | {c.OldRatio:0.00} | {c.OldMissed} / {c.OldFalse} | {c.NewRatio:0.00} ({c.NewLowest:0.00}–{c.NewHighest:0.00}) | {c.NewMissed} / {c.NewFalse} | {c.OldShortUnwarned:0.0%} → {c.NewShortUnwarned:0.0%} |"));
        }

        output.WriteLine(string.Create(inv,
            $"totals over {cells.Count * Layouts} layouts: truly short {cells.Sum(c => c.TrulyShort)}; missed warnings old {cells.Sum(c => c.OldMissed)}, new {cells.Sum(c => c.NewMissed)}; false warnings old {cells.Sum(c => c.OldFalse)}, new {cells.Sum(c => c.NewFalse)}"));
    }
}
