using Glidepath.Environments;
using Glidepath.Shadow;
using Glidepath.Traces;

namespace Glidepath.Cli.Commands;

/// <summary>The rows <c>traces show</c> adds for a trace in a shadow pair (<see cref="ShadowPairLookup"/>).</summary>
internal static class TraceShadowRows
{
    /// <summary>
    /// The rows naming the other side of the trace's shadow pair: a candidate's mirrored call names its stable trace and
    /// shadow, a mirrored stable trace its candidate's call. A stable trace that was not mirrored shows none.
    /// </summary>
    public static List<string[]> Of(TraceRecord trace, ShadowPairRecord? pair, EnvironmentViews views)
    {
        if (pair is null)
        {
            // The candidate's call is stored before its pair; a pair not (yet) stored is said, not left out silently.
            return trace.Arm == Glidepath.Routing.Arm.Shadow ? [["shadow pair", "- (no pair stored for this call)"]] : [];
        }

        var shadow = $"{pair.ShadowId} (candidate {views.Label(pair.CandidateReleaseId)} against stable {views.Label(pair.StableReleaseId)}; glidepath shadow status --env {pair.Environment} --shadow {pair.ShadowId})";
        return trace.Arm == Glidepath.Routing.Arm.Shadow
            ? [["shadow", shadow], ["stable trace", $"{pair.StableTraceId} (the answer the caller got)"]]
            : [["shadow", shadow], ["shadow trace", $"{pair.CandidateTraceId} (the candidate's answer on the same input)"]];
    }
}
