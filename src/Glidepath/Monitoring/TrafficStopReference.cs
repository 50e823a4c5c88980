using Glidepath.Storage;

namespace Glidepath.Monitoring;

/// <summary>
/// The matched windows <see cref="TrafficStop"/> judges an empty recent window against: those before the current gap. A
/// stop that lasts longer than a day puts its own first day into the newest matched windows, and an empty reference
/// window says nothing about the traffic expected now: judged against it, a stop of 25 hours went silent
/// (<c>not_enough_data</c>, trial "drift" #4). So, while the release has had no request since the start of a matched
/// window (it was empty, and everything after it), that window is part of the stop and is passed over, and the same clock window on earlier periods is read
/// instead, as far back as the release was stable. A quiet hour that was always quiet is unchanged: traffic came between
/// yesterday's quiet hour and now, so yesterday's hour is in the reference, and it is too quiet for a stop to be judged.
/// </summary>
public sealed record TrafficStopReference
{
    /// <summary>Active subject groups (<see cref="TrafficStop.ActiveSubjects"/>) of each window in <see cref="Windows"/>.</summary>
    public required IReadOnlyList<long> Subjects { get; init; }

    /// <summary>The windows judged, newest first.</summary>
    public required IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Windows { get; init; }

    /// <summary>
    /// How many of the newest matched windows lie inside the current stop and were passed over: 0 while the release had a
    /// request in or after the newest one (always, while requests arrive).
    /// </summary>
    public int PassedOver { get; init; }

    /// <summary>
    /// Reads the reference for a check whose recent window had <paramref name="recentRequests"/> requests of the release.
    /// <paramref name="matched"/> are the check's own windows with their active subject groups, newest first, already read.
    /// </summary>
    public static async Task<TrafficStopReference> ReadAsync(
        ITraceStore traces, string app, string environment, string releaseId, DriftWindows windows, IReadOnlyList<long> matched,
        long recentRequests, DateTimeOffset stableSince, DriftPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(matched);
        ArgumentNullException.ThrowIfNull(policy);
        var all = windows.ReferenceWindows;
        if (recentRequests > 0 || all.Count == 0)
        {
            return new TrafficStopReference { Subjects = matched, Windows = all };
        }

        // Window k lies inside the stop when nothing came from its start to the recent window (known empty): the window
        // itself was empty and so was everything after it. A window in which traffic ended is kept — traffic that ends
        // every day (a daily burst) is a cycle, not a stop. Each step reads one period, newest first, and stops at the
        // first request: the gap itself holds no aggregates to read.
        var first = FirstMinute(stableSince);
        var passed = 0;
        var upTo = windows.RecentFrom;
        while (true)
        {
            var (from, _) = Window(windows, passed + 1);
            if (from < first)
            {
                return new TrafficStopReference { Subjects = [], Windows = [], PassedOver = passed };
            }

            var stats = await traces.ArmStatsAsync(app, environment, from, upTo, cancellationToken).ConfigureAwait(false);
            if (ArmSamples.ForRelease(stats, releaseId).Requests > 0)
            {
                break;
            }

            passed++;
            upTo = from;
        }

        if (passed == 0)
        {
            return new TrafficStopReference { Subjects = matched, Windows = all };
        }

        var subjects = new List<long>(policy.ReferenceCount);
        var used = new List<(DateTimeOffset, DateTimeOffset)>(policy.ReferenceCount);
        for (var k = passed + 1; subjects.Count < policy.ReferenceCount; k++)
        {
            var (from, to) = Window(windows, k);
            if (from < first)
            {
                break;
            }

            var count = k <= matched.Count
                ? matched[k - 1]
                : TrafficStop.ActiveSubjects(ArmSamples.ForRelease(await traces.ArmStatsAsync(app, environment, from, to, cancellationToken).ConfigureAwait(false), releaseId));
            subjects.Add(count);
            used.Add((from, to));
        }

        return new TrafficStopReference { Subjects = subjects, Windows = used, PassedOver = passed };
    }

    /// <summary>The recent window shifted back by <paramref name="k"/> periods.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Window(DriftWindows windows, int k)
    {
        var period = windows.Period;
        return (windows.RecentFrom - (period * k), windows.RecentTo - (period * k));
    }

    private static DateTimeOffset FirstMinute(DateTimeOffset t)
    {
        var floor = new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return floor.UtcTicks == t.UtcTicks ? floor : floor.AddMinutes(1);
    }
}
