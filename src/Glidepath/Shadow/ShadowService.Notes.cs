using Glidepath.Environments;
using Glidepath.Monitoring;
using Glidepath.Storage;

namespace Glidepath.Shadow;

/// <summary>
/// What a shadow's starter and watcher should know about the pairs a pass needs: printed on stderr by <c>shadow start</c>,
/// the admin API's <c>notes</c>, and added to a collecting decision.
/// </summary>
public sealed partial class ShadowService
{
    private PairsForPass? _pairsNeeded;

    /// <summary>The stable traffic whose cost per answered call estimates what a cost cap pays for, as rollout start's notes read it.</summary>
    public static readonly TimeSpan CostWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// What a started shadow's caller should be told: a <paramref name="shadow"/> whose cap stops it before the pairs the
    /// judge needs to pass a candidate as good as stable (<see cref="PairsNeeded"/>) can show harm but never pass. The
    /// request cap is compared as it is; the cost cap at the stable release's cost per answered call over the last
    /// <see cref="CostWindow"/> (one read of <paramref name="traces"/>; nothing is said without such traffic), and only
    /// when it stops the shadow before the request cap does.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartNotesAsync(string environment, ShadowState shadow, ITraceStore traces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        ArgumentNullException.ThrowIfNull(traces);
        var needed = PairsNeeded();
        if (needed.Pairs is null || shadow.MaxCostUsd is not { } maxCost || shadow.MaxRequests < needed.Pairs)
        {
            return needed.CapNote(shadow.MaxRequests) is { } note ? [note] : [];
        }

        var spec = environments.Spec(environment);
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        if (state.StableReleaseId is not { } stable)
        {
            return [];
        }

        var day = await traces.ArmStatsAsync(manifest.App, spec.Name, time.GetUtcNow() - CostWindow, null, cancellationToken).ConfigureAwait(false);
        var sample = ArmSamples.ForRelease(day, stable);
        return sample.LatencyCount > 0
            && needed.CostCapNote(maxCost, sample.CostSum / sample.LatencyCount, "the stable release's cost per answered call over the last 24 h") is { } costNote
            ? [costNote]
            : [];
    }

    /// <summary>
    /// The fewest pairs at which this app's paired judge passes a candidate as good as stable (<see cref="PairsForPass"/>),
    /// with online scores on the pairs when the manifest's online scoring is on (the mirror then scores every pair).
    /// Searched once per service (a few milliseconds; the manifest does not change), as every report of a collecting shadow says it.
    /// </summary>
    public PairsForPass PairsNeeded() =>
        _pairsNeeded ??= PairsForPass.For(Judge(), manifest.Online is { SampleRate: > 0, Scorers.Count: > 0 });

    /// <summary>A collecting decision on fewer pairs than a pass needs says how many it needs (trial shadowcaps #4).</summary>
    private PairedDecision WithPairsNeeded(PairedDecision decision, long judgedPairs) =>
        decision.Outcome == PairedOutcome.Collecting && PairsNeeded().CollectingNote(judgedPairs) is { } note
            ? decision with { Reason = $"{decision.Reason}; {note}" }
            : decision;
}
