using System.Globalization;
using Glidepath.Evals;
using Glidepath.Manifests;

namespace Glidepath.Environments;

/// <summary>
/// An environment's promotion policy: every environment in <c>requires</c> has had the release as its
/// stable, and — when the target already has a stable release — a stored passing gate verdict exists for
/// the release against that stable. Pure: the caller reads the histories and the verdict.
/// </summary>
public static class PromotionPolicy
{
    public const string FirstReleaseNote = "first release: no baseline to gate against";

    /// <param name="target">The environment promoted into.</param>
    /// <param name="targetState">Its current state (the stable is the gate's baseline).</param>
    /// <param name="releaseId">The release being promoted.</param>
    /// <param name="requiredHistories">History of each environment in <c>target.Requires</c>.</param>
    /// <param name="latestVerdict">The most recent verdict for the release against the target's stable, or null.</param>
    /// <param name="manifest">For the commands to suggest (whether a required environment itself has requires).</param>
    /// <param name="releaseName">Turns a release id into its display name (v3).</param>
    public static PromotionAssessment Assess(
        EnvironmentSpec target,
        EnvironmentState targetState,
        string releaseId,
        IReadOnlyDictionary<string, IReadOnlyList<EnvironmentEvent>> requiredHistories,
        GateVerdictRecord? latestVerdict,
        Manifest manifest,
        Func<string, string> releaseName)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(targetState);
        ArgumentNullException.ThrowIfNull(requiredHistories);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(releaseName);

        var name = releaseName(releaseId);
        var missing = new List<PromotionRequirement>();
        var met = new List<string>();
        foreach (var required in target.Requires)
        {
            var history = requiredHistories.TryGetValue(required, out var h) ? h : [];
            if (StableHistory.HasBeenStable(history, releaseId))
            {
                met.Add(required);
                continue;
            }

            var verb = manifest.FindEnvironment(required) is { Requires.Count: > 0 } ? "promote" : "deploy";
            missing.Add(new PromotionRequirement(
                "requires",
                $"{name} has never been the stable release of {required}, which {target.Name} requires",
                $"glidepath {verb} {name} --env {required}"));
        }

        var baseline = targetState.StableReleaseId;
        string? verdictId = null;
        if (baseline is not null)
        {
            var gate = $"glidepath gate {name} --baseline env:{target.Name}";
            if (latestVerdict is null || latestVerdict.CandidateReleaseId != releaseId || latestVerdict.BaselineReleaseId != baseline)
            {
                missing.Add(new PromotionRequirement(
                    "gate",
                    $"no passing gate verdict for {name} against {target.Name}'s stable {releaseName(baseline)}",
                    gate));
            }
            else if (!latestVerdict.Passed)
            {
                missing.Add(new PromotionRequirement(
                    "gate",
                    $"the latest gate verdict for {name} against {target.Name}'s stable {releaseName(baseline)} is '{latestVerdict.Result}' " +
                    $"({latestVerdict.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC); fix the change and gate it again",
                    gate));
            }
            else
            {
                verdictId = latestVerdict.Id;
            }
        }

        return new PromotionAssessment { Missing = missing, RequiresMet = met, GateVerdictId = verdictId, BaselineReleaseId = baseline };
    }
}
