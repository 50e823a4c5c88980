using System.Text.Json.Nodes;
using Glidepath.Evals.Gate;

namespace Glidepath.Environments;

/// <summary>The outcome of checking a release against an environment's promotion policy.</summary>
public sealed record PromotionAssessment
{
    /// <summary>Unmet prerequisites; empty when the promotion is allowed.</summary>
    public required IReadOnlyList<PromotionRequirement> Missing { get; init; }

    /// <summary>The environments on the promotion path that have had the release as their stable.</summary>
    public required IReadOnlyList<string> RequiresMet { get; init; }

    /// <summary>The passing verdict used as evidence, or null (first release, or missing).</summary>
    public string? GateVerdictId { get; init; }

    /// <summary>The gate's evidence against the target's stable (which verdict counts, earlier blocks of the pair); null for a first release.</summary>
    public GateEvidence? Gate { get; init; }

    /// <summary>The target's current stable release, against which the gate is required; null for a first release.</summary>
    public string? BaselineReleaseId { get; init; }

    /// <summary>True when the environment has no stable release yet: there is no baseline to gate against.</summary>
    public bool FirstRelease => BaselineReleaseId is null;

    public bool Allowed => Missing.Count == 0;

    /// <summary>
    /// "gate: v3 passed against production's stable v2 on … (2 earlier runs of this pair blocked)" when the gate's verdict
    /// counted; null otherwise. Newest counts, so a pass after blocks may be a re-roll of a flaky block: it is said, not hidden.
    /// </summary>
    public string? GateNote { get; init; }

    /// <summary>
    /// The newest verdict of harm the judge recorded for the release in the target against its current stable (a rollout
    /// rolled back for harm, a shadow stopped at harm, an active shadow the paired judge finds harmful now): it refuses,
    /// unless forced. Null when none stands.
    /// </summary>
    public JudgedHarm? Harm { get; init; }

    /// <summary>"note: v3 has an earlier verdict of harm … against v1; production's stable is v2 now, …": a harm against another stable, which does not refuse; null when there is none.</summary>
    public string? HarmNote { get; init; }

    /// <summary>What a command that went through says on stderr: the gate's note and the harm note, or null.</summary>
    public string? Notes => (GateNote, HarmNote) switch
    {
        (null, null) => null,
        ({ } gate, null) => gate,
        (null, { } harm) => harm,
        var (gate, harm) => gate + "\n" + harm,
    };

    /// <summary>
    /// Writes what the assessment counted into the history event of the promote or rollout start that went through:
    /// <c>gate_earlier_blocked</c> after a passing gate, <c>judged_harm</c> (the verdict of harm that refused) and
    /// <c>overridden</c> (every unmet prerequisite) when forced.
    /// </summary>
    public void WriteTo(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (Gate is { Passed: true } gate)
        {
            details["gate_earlier_blocked"] = gate.EarlierBlocked;
        }

        if (Harm is { } harm)
        {
            details["judged_harm"] = new JsonObject
            {
                ["kind"] = harm.Kind,
                ["id"] = harm.Id,
                ["at"] = harm.Time,
                ["against_release_id"] = harm.AgainstReleaseId,
                ["evidence"] = harm.Evidence,
                ["active"] = harm.Active,
            };
        }

        if (!Allowed)
        {
            details["overridden"] = new JsonArray(Missing.Select(m => (JsonNode?)JsonValue.Create(m.Missing)).ToArray());
        }
    }
}
