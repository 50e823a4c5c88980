using Glidepath.Routing;
using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>
/// The request rate of an environment, measured from its traces while its stable release has been stable: what
/// <c>rollout plan</c> times its steps at and <see cref="StepPaceWarning"/> warns at when no <c>--rps</c> is given. Every
/// request the environment's callers sent counts, on either arm (a shadow's copies do not): a step's weight is a share of
/// all of them. Until 2026-12-07 only the stable release's own requests counted, so after recent canaries, which took
/// their share, the rate read low (trial netfalse L3: 22.5 requests/s after three 50% canaries while the gateway served
/// about 39) and the step-pace warning warned of slow steps that were not.
/// </summary>
/// <param name="RequestsPerSecond">Requests a second, above zero.</param>
/// <param name="Source">Where it was measured, e.g. "measured over the stable release's last hour".</param>
public sealed record StableRate(double RequestsPerSecond, string Source)
{
    /// <summary>False for a rate given by hand (<see cref="Given"/>), true for one measured from traces.</summary>
    public bool Measured { get; init; } = true;

    /// <summary>A rate given by hand, as <c>--rps</c>: its source reads "--rps".</summary>
    public static StableRate Given(double requestsPerSecond) => new(requestsPerSecond, "--rps") { Measured = false };

    /// <summary>The window whose traffic gives the rate.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>
    /// The rate of <paramref name="environment"/>'s requests (both arms) over the last <see cref="Window"/>; null without
    /// traffic of <paramref name="stableId"/> in that time (there is no stable traffic to plan from).
    /// </summary>
    /// <param name="stableSince">When the stable release became stable: a release stable for less than the window is
    /// measured over the time it has been (over the whole hour, one stable for 2 minutes read 30 times too slow: trial
    /// shadowcaps #7); under a minute gives no rate.</param>
    public static async Task<StableRate?> MeasureAsync(ITraceStore traces, string app, string environment, string stableId, DateTimeOffset? stableSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var window = stableSince is { } since && now - since < Window ? now - since : Window;
        if (window < TimeSpan.FromMinutes(1))
        {
            return null;
        }

        var recent = await traces.ArmStatsAsync(app, environment, now - window, null, cancellationToken).ConfigureAwait(false);
        long requests = 0;
        var stableServed = false;
        foreach (var arm in recent)
        {
            if (arm.Arm != Arm.Shadow)
            {
                requests += arm.Count;
                stableServed |= arm.ReleaseId == stableId && arm.Count > 0;
            }
        }

        if (!stableServed)
        {
            return null;
        }

        var source = window == Window
            ? $"measured over the last hour of {environment}'s requests, both arms"
            : $"measured over {environment}'s requests, both arms, in the {RolloutView.Duration(window)} since the stable release became stable";
        return new StableRate(requests / window.TotalSeconds, source);
    }
}
