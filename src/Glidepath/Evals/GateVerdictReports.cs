using System.Text.Json;
using Glidepath.Environments;

namespace Glidepath.Evals;

/// <summary>The JSON answer listing a release's stored gate verdicts (the evidence promote and rollout start read), for the admin API.</summary>
public static class GateVerdictReports
{
    /// <summary>
    /// <c>{release, verdicts}</c>, newest first, each with its baseline, dataset hash, result, the gate rule it was computed
    /// under (null when none was recorded, or it cannot be read) and details.
    /// </summary>
    public static object List(string releaseId, IReadOnlyList<GateVerdictRecord> verdicts, EnvironmentViews views)
    {
        ArgumentNullException.ThrowIfNull(views);
        return new
        {
            release = views.Ref(releaseId),
            verdicts = verdicts.Select(v => new
            {
                id = v.Id,
                candidate = views.Ref(v.CandidateReleaseId),
                baseline = views.Ref(v.BaselineReleaseId),
                dataset_sha256 = v.DatasetSha256,
                result = v.Result,
                passed = v.Passed,
                judge_version = v.JudgeVersion,
                gate_rule = Gate.VerdictRule.Parse(v.GateRule) is { } rule
                    ? new { max_case_regressions = rule.MaxCaseRegressions, max_mean_drop = rule.MaxMeanDrop, confidence = rule.Confidence, trials = rule.Trials, sha256 = v.GateRuleSha256 }
                    : null,
                created_at = v.CreatedAt,
                details = JsonDocument.Parse(v.DetailsJson).RootElement.Clone(),
            }),
        };
    }

    /// <summary><c>{release, verdict, cases}</c>: one verdict (null when the release has none) and its failed cases, baseline beside candidate.</summary>
    public static object Cases(string releaseId, GateVerdictRecord? verdict, IReadOnlyList<GateVerdictCase> cases, EnvironmentViews views)
    {
        ArgumentNullException.ThrowIfNull(views);
        return new
        {
            release = views.Ref(releaseId),
            verdict = verdict is null ? null : new
            {
                id = verdict.Id,
                candidate = views.Ref(verdict.CandidateReleaseId),
                baseline = views.Ref(verdict.BaselineReleaseId),
                result = verdict.Result,
                passed = verdict.Passed,
                created_at = verdict.CreatedAt,
            },
            cases,
        };
    }
}
