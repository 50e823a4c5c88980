using System.Globalization;
using Glidepath.Environments;
using Glidepath.Releases;
using Glidepath.Views;

namespace Glidepath.Shadow;

/// <summary>What the gates on a release (promote, <c>rollout start</c>, <c>--require-shadow</c>) read from its active shadow.</summary>
public sealed partial class ShadowService
{
    /// <summary>
    /// The paired judge's decision harm on the pairs of the active shadow of <paramref name="releaseId"/> against the
    /// environment's stable release now, judged as <c>shadow status</c> judges it (the same pairs, the same judge); null
    /// when there is no such shadow or its decision is not harm. A stopped shadow's harm is read from its
    /// <c>shadow_stop</c> event instead (<see cref="JudgedHarms"/>). Fails closed: pairs that cannot be read or judged
    /// count as harm, saying so, as an unreadable <c>shadow_stop</c> does; <c>--force</c> overrides it.
    /// </summary>
    /// <param name="state">The environment's state the caller decides on.</param>
    /// <param name="history">The environment's history, oldest first, read after <paramref name="state"/>.</param>
    public async Task<JudgedHarm?> ActiveHarmAsync(EnvironmentState state, IReadOnlyList<EnvironmentEvent> history, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        if (state.Shadow is not { } active || active.ReleaseId != releaseId || state.StableReleaseId is not { } stable || stable == releaseId)
        {
            return null;
        }

        var now = time.GetUtcNow();
        string evidence;
        try
        {
            var started = ShadowHistory.Starts(history).LastOrDefault(s => s.Shadow.ShadowId == active.ShadowId);
            if (started is not null)
            {
                var report = await ReportAsync(state.Name, started, history, cancellationToken, stable).ConfigureAwait(false);
                return report.Decision.Outcome == PairedOutcome.Harm
                    ? new JudgedHarm(JudgedHarm.Shadow, active.ShadowId, stable, now, report.Decision.Reason) { Active = true }
                    : null;
            }

            evidence = "its shadow_start event is not in the history, so its pairs cannot be judged";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = ex.Message.ReplaceLineEndings(" ");
            evidence = $"its pairs cannot be read or judged now ({ex.GetType().Name}: {(message.Length > 200 ? message[..200] + "…" : message)})";
        }

        return new JudgedHarm(JudgedHarm.Shadow, active.ShadowId, stable, now, evidence + "; what it found cannot be shown to be anything but harm") { Active = true };
    }

    /// <summary>
    /// What <c>--require-shadow</c> says of the release's active shadow whose cap is reached: it mirrors no more requests,
    /// so it will not say pass however long one waits, and the way on is another shadow with a larger cap (the cap reached
    /// doubled, a request cap at least the pairs a pass needs: <see cref="PairsNeeded"/>), or, when no number of pairs can
    /// pass under the plan, a wider tolerance.
    /// </summary>
    private string CappedAdvice(ShadowReport capped, Release release, string environment)
    {
        var shadow = capped.Shadow;
        var inv = CultureInfo.InvariantCulture;
        var requestsReached = shadow.MaxRequests is { } max && capped.Spend.Pairs >= max;
        var which = requestsReached
            ? string.Create(inv, $"{capped.Spend.Pairs} pairs of the {shadow.MaxRequests} it may store")
            : string.Create(inv, $"{Figures.Usd(capped.Spend.CostUsd)} of the {Figures.Usd(shadow.MaxCostUsd ?? 0)} it may spend");
        var said = $"Shadow {shadow.ShadowId} has reached its cap ({which}) and mirrors no more requests, so it will not say pass";
        var needed = PairsNeeded();
        if (needed.Pairs is not { } pairs)
        {
            return $"{said}, and no larger cap would help: {needed.CapNote(null)}";
        }

        var maxRequests = shadow.MaxRequests is { } m ? Math.Max(requestsReached ? 2 * m : m, pairs) : (long?)null;
        var maxCost = requestsReached ? shadow.MaxCostUsd : 2 * shadow.MaxCostUsd;
        var caps = (maxCost is { } c ? string.Create(inv, $" --max-cost-usd {c:0.######}") : "")
            + (maxRequests is { } n ? string.Create(inv, $" --max-requests {n}") : "");
        return string.Create(inv,
            $"{said}. Stop it and start one with a larger cap: glidepath shadow stop --env {environment}, then glidepath shadow start {release.Name} --env {environment} --rate {shadow.Rate:0.######}{caps}, "
            + $"and wait for 'glidepath shadow status --env {environment}' to say pass");
    }
}
