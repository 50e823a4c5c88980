using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// Whether store trouble still holds a controller's advancing. While the store cannot be written, every gateway keeps the
/// traces it could not write (up to 12,000) and writes them once the store is back, after a retry backoff of up to 5 s;
/// a step judged before then is judged without them — without the very stretch nobody saw. So after trouble the
/// controller does not advance, promote or roll back for lack of a decision (<c>on_inconclusive</c>, <c>max_hold</c>)
/// until <see cref="RolloutControllerOptions.SettleWindow"/> has passed since it ended; harm still rolls back at once.
/// Trouble is a failed pass of this controller, this host's own trace writer keeping traces it could not write, or a
/// lease taken over after it expired without being given up (its holder died or lost the store; a lease given up on
/// shutdown needs no wait). Trouble again before an episode's window has passed continues that episode, so a store that
/// flaps is one episode (one note), not one per blip. One caller at a time: the controller's loop.
/// </summary>
internal sealed class SettleWindow
{
    private readonly Dictionary<string, StoreTrouble> _takeovers = new(StringComparer.Ordinal);
    private StoreTrouble? _process;

    /// <summary>
    /// A pass begins at <paramref name="now"/>: a failed pass before it ends its episode here (the first good pass after
    /// the trouble starts the window). <paramref name="unwrittenSince"/>: since when this host's trace writer keeps traces
    /// it could not write, or null; its episode lasts until the writer writes again.
    /// </summary>
    public void PassStarted(DateTimeOffset now, DateTimeOffset? unwrittenSince, TimeSpan window)
    {
        if (_process is { Until: null, Kind: StoreTroubleKind.PassFailed } failed)
        {
            _process = failed with { Until = now };
        }

        if (unwrittenSince is { } since)
        {
            Begin(StoreTroubleKind.UnwrittenTraces, since, now, window);
        }
        else if (_process is { Until: null, Kind: StoreTroubleKind.UnwrittenTraces } kept)
        {
            _process = kept with { Until = now };
        }
    }

    /// <summary>
    /// Right before a decision: this host's trace writer may have begun keeping traces while the pass read the store (a
    /// read that hangs through an outage never fails the pass), so it is looked at again, not only when the pass began.
    /// </summary>
    public void BeforeDeciding(DateTimeOffset now, DateTimeOffset? unwrittenSince, TimeSpan window)
    {
        if (unwrittenSince is { } since)
        {
            Begin(StoreTroubleKind.UnwrittenTraces, since, now, window);
        }
    }

    /// <summary>A pass (or the store read before it) failed at <paramref name="now"/>.</summary>
    public void PassFailed(DateTimeOffset now, TimeSpan window) => Begin(StoreTroubleKind.PassFailed, now, now, window);

    /// <summary>This controller took a rollout's lease over from <paramref name="lapsed"/>, which expired without being given up.</summary>
    public void TookOver(string rolloutId, ControllerLease lapsed, DateTimeOffset now, TimeSpan window)
    {
        foreach (var (id, trouble) in _takeovers.ToList())
        {
            if (!trouble.HoldsAt(now, window))
            {
                _takeovers.Remove(id);
            }
        }

        _takeovers[rolloutId] = new StoreTrouble(StoreTroubleKind.LeaseTakenOver, now, now, lapsed.Holder, lapsed.ExpiresAt);
    }

    /// <summary>The episode that holds advancing <paramref name="rolloutId"/> at <paramref name="now"/> (the one that ends last), or null.</summary>
    public StoreTrouble? Holding(string rolloutId, DateTimeOffset now, TimeSpan window)
    {
        var holding = _process is { } process && process.HoldsAt(now, window) ? process : null;
        if (_takeovers.TryGetValue(rolloutId, out var takeover))
        {
            if (!takeover.HoldsAt(now, window))
            {
                _takeovers.Remove(rolloutId);
            }
            else if (holding is null || (holding.Until is { } until && takeover.Until > until))
            {
                holding = takeover;
            }
        }

        return holding;
    }

    /// <summary>
    /// "holding: this controller (HOLDER) could not use the store from 08:47:58 until 08:48:28 UTC (its passes failed); traces the
    /// gateways queued meanwhile are written first; advancing resumes at 08:48:58 UTC …": why, and until when.
    /// </summary>
    /// <param name="holder">This controller's lease holder, named in the reason (the decision's actor says only <c>controller</c>).</param>
    public static string Reason(StoreTrouble trouble, TimeSpan window, string holder)
    {
        ArgumentNullException.ThrowIfNull(trouble);
        var since = Time(trouble.Since);
        var resumes = trouble.Until is { } until
            ? $"advancing resumes at {Time(until + window)} UTC ({RolloutView.Duration(window)} after the trouble ended; later if it comes back)"
            : $"advancing resumes {RolloutView.Duration(window)} after it ends";
        var what = trouble.Kind switch
        {
            StoreTroubleKind.LeaseTakenOver =>
                $"this controller ({holder}) took over the lease of {trouble.LapsedHolder}, which expired at {Time(trouble.LapsedAt ?? trouble.Since)} UTC without being given up (its host may have died or lost the store); traces the gateways queued meanwhile are written first",
            StoreTroubleKind.UnwrittenTraces when trouble.Until is { } end =>
                $"the trace writer of this host ({holder}) could not write traces to the store from {since} until {Time(end)} UTC; what it and the other gateways kept is written first",
            StoreTroubleKind.UnwrittenTraces =>
                $"the trace writer of this host ({holder}) keeps traces it could not write to the store since {since} UTC; what it and the other gateways kept is written first",
            _ when trouble.Until is { } end =>
                $"this controller ({holder}) could not use the store from {since} until {Time(end)} UTC (its passes failed); traces the gateways queued meanwhile are written first",
            _ => $"this controller ({holder}) cannot use the store since {since} UTC (its passes fail); traces the gateways queue meanwhile are written first",
        };
        return $"holding: {what}; {resumes}; harm still rolls back at once";
    }

    private void Begin(StoreTroubleKind kind, DateTimeOffset since, DateTimeOffset now, TimeSpan window) =>
        _process = _process is { } last && last.HoldsAt(now, window) ? last with { Kind = kind, Until = null } : new StoreTrouble(kind, since, null);

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
