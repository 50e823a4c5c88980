namespace Glidepath.Monitoring;

/// <summary>
/// What the monitor compares: the recent window [<see cref="RecentFrom"/>, <see cref="RecentTo"/>) and the same clock
/// window one, two, … periods (days or weeks) earlier, while the same release was stable. <see cref="ReferenceFrom"/>
/// is the start of the oldest matched window and <see cref="ReferenceTo"/> the end of the newest, so the period and the
/// count follow from the four times alone (a stored alert needs nothing more). All four are whole minutes, as the
/// trace store counts them.
/// </summary>
public readonly record struct DriftWindows(DateTimeOffset ReferenceFrom, DateTimeOffset ReferenceTo, DateTimeOffset RecentFrom, DateTimeOffset RecentTo)
{
    /// <summary>How far apart the matched windows are: the newest one is exactly one period before the recent window.</summary>
    public TimeSpan Period => RecentTo - ReferenceTo;

    /// <summary>True for windows built by <see cref="For"/>: one or more whole days apart, none overlapping the recent window.</summary>
    public bool IsTimeMatched =>
        Period >= TimeSpan.FromDays(1) && Period.Ticks % TimeSpan.TicksPerDay == 0 && RecentTo > RecentFrom
        && (RecentFrom - ReferenceFrom).Ticks % Period.Ticks == 0 && ReferenceTo - ReferenceFrom == (RecentTo - RecentFrom) + (Period * (ReferenceCount - 1));

    /// <summary>How many matched windows are pooled into the reference.</summary>
    public int ReferenceCount => Period > TimeSpan.Zero ? (int)((RecentFrom - ReferenceFrom).Ticks / Period.Ticks) : 0;

    /// <summary>The matched windows, newest first: the recent window shifted back by 1, 2, … periods.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ReferenceWindows
    {
        get
        {
            var count = ReferenceCount;
            var result = new (DateTimeOffset, DateTimeOffset)[count];
            for (var k = 1; k <= count; k++)
            {
                result[k - 1] = (RecentFrom - (Period * k), RecentTo - (Period * k));
            }

            return result;
        }
    }

    /// <summary>"the same clock window on 7 earlier days", "… 1 week earlier": what the reference is, in words.</summary>
    public string ReferenceText()
    {
        var n = ReferenceCount;
        var unit = Period == TimeSpan.FromDays(7) ? "week" : "day";
        return n == 1
            ? FormattableString.Invariant($"the same clock window 1 {unit} earlier")
            : FormattableString.Invariant($"the same clock window on {n} earlier {unit}s");
    }

    /// <summary>
    /// The windows of a check at <paramref name="now"/> for a release stable since <paramref name="stableSince"/>, or null
    /// while no earlier period holds the same clock window after the release became stable (see <see cref="ReadyAt"/>).
    /// </summary>
    public static DriftWindows? For(DateTimeOffset stableSince, DateTimeOffset now, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var recentTo = FloorToMinute(now);
        var recentFrom = recentTo - policy.RecentWindow;
        var first = CeilingToMinute(stableSince);
        var count = 0;
        while (count < policy.ReferenceCount && recentFrom - (policy.Period * (count + 1)) >= first)
        {
            count++;
        }

        return count == 0 ? null : new DriftWindows(recentFrom - (policy.Period * count), recentTo - policy.Period, recentFrom, recentTo);
    }

    /// <summary>The first moment at which <see cref="For"/> finds a matched window: one period and one recent window after the release became stable.</summary>
    public static DateTimeOffset ReadyAt(DateTimeOffset stableSince, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return CeilingToMinute(stableSince) + policy.Period + policy.RecentWindow;
    }

    private static DateTimeOffset FloorToMinute(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static DateTimeOffset CeilingToMinute(DateTimeOffset t)
    {
        var floor = FloorToMinute(t);
        return floor.UtcTicks == t.UtcTicks ? floor : floor.AddMinutes(1);
    }
}
