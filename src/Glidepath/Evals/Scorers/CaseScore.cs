using Glidepath.Errors;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Combines a response's scorer outcomes: any error → error; otherwise the weighted mean of the applicable
/// scores, passing only when every applicable scorer passed. No applicable scorer → pass with score 1.
/// </summary>
public readonly record struct CaseScore(TrialStatus Status, double? Score, string? Error)
{
    /// <summary>An error that every errored scorer marked transient (<see cref="TransientFailure.MetadataKey"/>): a resume is expected to fix it.</summary>
    public bool Transient { get; init; }

    public static CaseScore Combine(IReadOnlyList<ScoreOutcome> outcomes)
    {
        var errors = outcomes.Where(o => o.Error is not null).ToList();
        if (errors.Count > 0)
        {
            return new CaseScore(TrialStatus.Error, null, string.Join("; ", errors.Select(e => $"{e.Scorer}: {e.Error}")))
            {
                Transient = errors.All(e => e.Metadata?.GetValueOrDefault(TransientFailure.MetadataKey) == "true"),
            };
        }

        var applicable = outcomes.Where(o => o.Applicable).ToList();
        if (applicable.Count == 0)
        {
            return new CaseScore(TrialStatus.Pass, 1, null);
        }

        var weight = applicable.Sum(o => o.Weight);
        var score = weight > 0 ? applicable.Sum(o => o.Weight * o.Score!.Value) / weight : 0;
        return new CaseScore(applicable.All(o => o.Passed) ? TrialStatus.Pass : TrialStatus.Fail, score, null);
    }
}
