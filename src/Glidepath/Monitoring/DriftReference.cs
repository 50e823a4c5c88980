namespace Glidepath.Monitoring;

/// <summary>
/// Which earlier traffic the recent window is compared with: the same clock window on earlier days, or on the same
/// weekday of earlier weeks. Either way the reference sits at the same point of the traffic's cycle as the recent window.
/// </summary>
public enum DriftReference
{
    /// <summary>The same clock window on each of up to 7 earlier days, pooled (daily cycles).</summary>
    Day,

    /// <summary>The same clock window 7, 14, 21 and 28 days earlier, pooled (weekly cycles: weekends unlike weekdays).</summary>
    Week,
}
