using Glidepath.Environments;

namespace Glidepath.Shadow;

/// <summary>
/// What a shadow's starter and watcher should know about the pairs a pass needs: printed on stderr by <c>shadow start</c>,
/// the admin API's <c>notes</c>, and added to a collecting decision.
/// </summary>
public sealed partial class ShadowService
{
    private PairsForPass? _pairsNeeded;

    /// <summary>
    /// What a started shadow's caller should be told: a <paramref name="shadow"/> whose request cap is below the pairs the
    /// judge needs to pass a candidate as good as stable (<see cref="PairsNeeded"/>) can show harm but never pass.
    /// </summary>
    public IReadOnlyList<string> StartNotes(ShadowState shadow)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        return PairsNeeded().CapNote(shadow.MaxRequests) is { } note ? [note] : [];
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
