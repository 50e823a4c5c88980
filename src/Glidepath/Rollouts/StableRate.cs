using Glidepath.Monitoring;
using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>
/// The request rate of an environment's stable release, measured from its traces: what <c>rollout plan</c> times its steps
/// at and <see cref="StepPaceWarning"/> warns at when no <c>--rps</c> is given.
/// </summary>
/// <param name="RequestsPerSecond">Requests a second, above zero.</param>
/// <param name="Source">Where it was measured, e.g. "measured over the stable release's last hour".</param>
public sealed record StableRate(double RequestsPerSecond, string Source)
{
    /// <summary>False for a rate given by hand (<see cref="Given"/>), true for one measured from traces.</summary>
    public bool Measured { get; init; } = true;

    /// <summary>A rate given by hand, as <c>--rps</c>: its source reads "--rps".</summary>
    public static StableRate Given(double requestsPerSecond) => new(requestsPerSecond, "--rps") { Measured = false };

    /// <summary>The window whose stable traffic gives the rate.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>
    /// The rate of <paramref name="stableId"/> in <paramref name="environment"/> over the last <see cref="Window"/>; null
    /// without stable traffic in that time.
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
        var requests = ArmSamples.ForRelease(recent, stableId).Requests;
        if (requests <= 0)
        {
            return null;
        }

        var source = window == Window
            ? "measured over the stable release's last hour"
            : $"measured over the {RolloutView.Duration(window)} since the stable release became stable";
        return new StableRate(requests / window.TotalSeconds, source);
    }
}
