using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Bench.DriftSim;

/// <summary>
/// One way of choosing what to compare, run on simulated per-minute sums with the product's <see cref="DriftMonitor"/>:
/// the product's time-matched <see cref="DriftWindows"/>, or the windows before issue 12 (the release's first hour
/// after becoming stable against the last hour, as far as the two do not overlap).
/// </summary>
internal sealed class SimMonitor(string name, DriftPolicy policy, bool firstHourReference)
{
    private readonly DriftMonitor monitor = new(policy);

    public string Name { get; } = name;

    /// <summary>Null when the monitor is not ready at <paramref name="now"/>, else whether any metric drifted.</summary>
    public bool? Check(ArmSample[] cumulative, DateTimeOffset start, DateTimeOffset stableSince, DateTimeOffset now)
    {
        ArmSample Window(DateTimeOffset from, DateTimeOffset to) =>
            cumulative[(int)((to - start).Ticks / TimeSpan.TicksPerMinute)].Minus(cumulative[(int)((from - start).Ticks / TimeSpan.TicksPerMinute)]);

        if (firstHourReference)
        {
            var referenceTo = stableSince + policy.RecentWindow;
            var recentFrom = now - policy.RecentWindow < referenceTo ? referenceTo : now - policy.RecentWindow;
            return recentFrom < now ? monitor.HasDrifted(Window(recentFrom, now), Window(stableSince, referenceTo)) : null;
        }

        if (DriftWindows.For(stableSince, now, policy) is not { } windows)
        {
            return null;
        }

        var reference = default(ArmSample);
        foreach (var (from, to) in windows.ReferenceWindows)
        {
            reference = ArmSamples.Add(reference, Window(from, to));
        }

        return monitor.HasDrifted(Window(windows.RecentFrom, windows.RecentTo), reference);
    }
}
