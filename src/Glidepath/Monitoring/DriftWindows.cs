namespace Glidepath.Monitoring;

/// <summary>
/// The two time ranges the monitor compares: the stable release's reference window, starting when it became
/// stable, and the recent window ending now. They never overlap: recent starts at the reference's end at the earliest.
/// </summary>
public readonly record struct DriftWindows(DateTimeOffset ReferenceFrom, DateTimeOffset ReferenceTo, DateTimeOffset RecentFrom, DateTimeOffset RecentTo)
{
    /// <summary>False while the reference window is still filling (the release became stable less than one window ago).</summary>
    public bool Ready => RecentFrom < RecentTo;

    public static DriftWindows For(DateTimeOffset stableSince, DateTimeOffset now, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var referenceTo = stableSince + policy.ReferenceWindow;
        var recentFrom = now - policy.RecentWindow;
        if (recentFrom < referenceTo)
        {
            recentFrom = referenceTo;
        }

        return new DriftWindows(stableSince, referenceTo, recentFrom, now);
    }
}
