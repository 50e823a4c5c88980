using Glidepath.Routing;
using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>
/// The request rate of an environment, measured from its traces of the last hour, whatever release served them: what
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
    /// The rate of <paramref name="environment"/>'s requests (both arms, whatever release served them) over the last
    /// <see cref="Window"/>, or over the part of it since its traffic began; null without any traffic in that time.
    /// </summary>
    /// <param name="stableSince">When the stable release became stable. Traffic before it counts (until 2026-12-07 only
    /// the time since did, so right after a promotion no rate was measured, though the new stable release had served as
    /// the canary and the gateway about 38 requests/s: trial netfalse2 L4). When none was served in the hour before it,
    /// the rate is over the time since (over the whole hour, one stable for 2 minutes read 30 times too slow: trial
    /// shadowcaps #7); otherwise over the time since the hour's first minute with traffic. Under a minute gives no rate.</param>
    public static async Task<StableRate?> MeasureAsync(ITraceStore traces, string app, string environment, DateTimeOffset? stableSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var hour = now - Window;
        var from = hour;
        var since = false;
        if (stableSince is { } stable && stable > hour)
        {
            if (await RequestsAsync(traces, app, environment, hour, stable, cancellationToken).ConfigureAwait(false) == 0)
            {
                (from, since) = (stable, true);
            }
            else
            {
                // The hour's first minute with traffic, by bisection: none in [hour, lo), some in [hour, hi).
                var (lo, hi) = (hour, stable);
                while (hi - lo > TimeSpan.FromMinutes(1))
                {
                    var mid = lo + ((hi - lo) / 2);
                    (lo, hi) = await RequestsAsync(traces, app, environment, hour, mid, cancellationToken).ConfigureAwait(false) > 0 ? (lo, mid) : (mid, hi);
                }

                from = lo;
            }
        }

        var window = now - from;
        if (window < TimeSpan.FromMinutes(1))
        {
            return null;
        }

        var requests = await RequestsAsync(traces, app, environment, from, null, cancellationToken).ConfigureAwait(false);
        if (requests == 0)
        {
            return null;
        }

        var source = window == Window
            ? $"measured over the last hour of {environment}'s requests, both arms"
            : since
                ? $"measured over {environment}'s requests, both arms, in the {RolloutView.Duration(window)} since the stable release became stable"
                : $"measured over {environment}'s requests, both arms, in the {RolloutView.Duration(window)} since its traffic began";
        return new StableRate(requests / window.TotalSeconds, source);
    }

    /// <summary>The environment's requests on either arm (a shadow's copies do not count) from <paramref name="since"/> until <paramref name="until"/>.</summary>
    private static async Task<long> RequestsAsync(ITraceStore traces, string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var stats = await traces.ArmStatsAsync(app, environment, since, until, cancellationToken).ConfigureAwait(false);
        long requests = 0;
        foreach (var arm in stats)
        {
            requests += arm.Arm != Arm.Shadow ? arm.Count : 0;
        }

        return requests;
    }
}
