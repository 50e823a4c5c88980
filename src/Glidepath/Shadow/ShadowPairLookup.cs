using Glidepath.Routing;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Shadow;

/// <summary>
/// The shadow pair a trace belongs to, for <c>traces show</c>: a candidate's mirrored call (arm <c>shadow</c>) names its
/// stable trace and shadow, a stable trace the candidate's call made from it. Read from the pairs the store already
/// keeps, narrowed by the environment's history to the shadows that could hold it (those running when the trace started,
/// and for a candidate's call those of its release), so no index or table is added for it.
/// </summary>
public static class ShadowPairLookup
{
    /// <summary>
    /// How far outside a shadow's start and stop a trace's start may fall and still be looked for among its pairs: the
    /// gateways pick a start or stop up within a second, and their clocks are not the CLI's.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    /// <summary>The pair whose stable or candidate trace is <paramref name="trace"/>, or null (a stable request not mirrored, a canary's).</summary>
    public static async Task<ShadowPairRecord?> OfTraceAsync(IEnvironmentStore environments, IShadowStore shadows, TraceRecord trace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(shadows);
        ArgumentNullException.ThrowIfNull(trace);
        var candidate = trace.Arm == Arm.Shadow;
        if (!candidate && trace.Arm != Arm.Stable)
        {
            return null;
        }

        var history = await environments.HistoryAsync(trace.App, trace.Environment, cancellationToken).ConfigureAwait(false);
        foreach (var started in ShadowHistory.Starts(history).Reverse())
        {
            if (candidate && started.Shadow.ReleaseId != trace.ReleaseId)
            {
                continue;
            }

            var stop = history.FirstOrDefault(e => e.Kind == Environments.EnvironmentEventKinds.ShadowStop && e.Revision > started.Event.Revision && ShadowHistory.IdOf(e) == started.Shadow.ShadowId);
            if (trace.StartedAt < started.Event.Time - Slack || (stop is not null && trace.StartedAt > stop.Time + Slack))
            {
                continue;
            }

            foreach (var pair in await shadows.PairsAsync(started.Shadow.ShadowId, cancellationToken).ConfigureAwait(false))
            {
                if ((candidate ? pair.CandidateTraceId : pair.StableTraceId) == trace.TraceId)
                {
                    return pair;
                }
            }
        }

        return null;
    }
}
