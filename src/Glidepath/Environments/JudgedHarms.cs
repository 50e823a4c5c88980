using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Rollouts;

namespace Glidepath.Environments;

/// <summary>
/// The judge's verdicts of harm on a release that still stand in an environment, read from its history: what
/// <c>promote</c> and <c>rollout start</c> refuse on (against the current stable) and the checklist's <i>canary first</i>
/// row shows. Counted: a <c>rollout_rolled_back</c> of the release with cause harm, and a <c>shadow_stop</c> of it whose
/// recorded outcome is harm. Not verdicts: a rollback for inconclusive or deadline (the judge could not decide), an abort
/// by hand, a rollout ended from outside (a rollback, a deploy), a shadow stopped while collecting. A release does not
/// change, so a later shadow's pass does not undo a harm (shadows can be started again until one passes, with no
/// override); a later rollout of the release that the controller carried to promotion does (starting it after the harm
/// needed <c>--force</c>, and the judge then found it safe on every step). Pure.
/// </summary>
public static class JudgedHarms
{
    /// <summary>The standing harms of <paramref name="releaseId"/>, newest first.</summary>
    /// <param name="history">The environment's history, oldest first.</param>
    public static IReadOnlyList<JudgedHarm> Standing(IEnumerable<EnvironmentEvent> history, string releaseId)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(releaseId);
        var harms = new List<JudgedHarm>();
        foreach (var e in history)
        {
            switch (e.Kind)
            {
                case RolloutEventKinds.Promoted when e.ToReleaseId == releaseId && JudgedPromotion(e):
                    harms.Clear();
                    break;
                case RolloutEventKinds.RolledBack when e.FromReleaseId == releaseId && RolloutHarm(e) is { } harm:
                    harms.Add(harm);
                    break;
                case EnvironmentEventKinds.ShadowStop when e.ToReleaseId == releaseId && ShadowHarm(e) is { } harm:
                    harms.Add(harm);
                    break;
            }
        }

        harms.Reverse();
        return harms;
    }

    /// <summary>A promotion the controller made on the judge's evidence (a promotion by hand records none).</summary>
    private static bool JudgedPromotion(EnvironmentEvent e) =>
        e.Actor == RolloutController.Actor && Details(e) is { } d && d["evidence"] is JsonArray;

    /// <summary>
    /// A rollback for harm: cause harm, or, in an event from before the cause was recorded, evidence with a metric judged
    /// harm. Details that cannot be read count as harm (fail closed: the event is a rollback by the judge, and what it
    /// found cannot be shown to be anything else); <c>--force</c> overrides it.
    /// </summary>
    private static JudgedHarm? RolloutHarm(EnvironmentEvent e)
    {
        var d = Details(e);
        var id = Text(d?["rollout_id"]) ?? "(unknown id)";
        if (d is null)
        {
            return new JudgedHarm(JudgedHarm.Rollout, id, e.ToReleaseId, e.Time, $"its recorded evidence cannot be read; {e.Reason}");
        }

        var cause = Text(d["cause"]);
        var harmed = cause == RolloutCauses.Harm
            || (cause is null && d["evidence"] is JsonArray evidence && evidence.Any(m => m is JsonObject o && Text(o["verdict"]) == "harm"));
        return harmed ? new JudgedHarm(JudgedHarm.Rollout, id, e.ToReleaseId, e.Time, e.Reason ?? "harm") : null;
    }

    /// <summary>A shadow stopped with the judge's decision harm (from = the stable it was judged against, to = the candidate).</summary>
    private static JudgedHarm? ShadowHarm(EnvironmentEvent e)
    {
        var d = Details(e);
        if (d is null)
        {
            return new JudgedHarm(JudgedHarm.Shadow, "(unknown id)", e.FromReleaseId, e.Time, "its recorded decision cannot be read");
        }

        return Text(d["outcome"]) == "harm"
            ? new JudgedHarm(JudgedHarm.Shadow, Text(d["shadow_id"]) ?? "(unknown id)", e.FromReleaseId, e.Time, Text(d["decision"]) ?? "harm")
            : null;
    }

    private static JsonObject? Details(EnvironmentEvent e)
    {
        if (e.DetailsJson is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(e.DetailsJson) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
