using System.Text.Json;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;

namespace Glidepath.Evals;

/// <summary>Reads a stored gate verdict's failed cases from its eval run (the verdict's details name the run and the regressed cases).</summary>
public static class GateVerdictCases
{
    /// <summary>Regressed cases first, then the others the candidate failed, each by case id; empty when the run is gone.</summary>
    public static async Task<IReadOnlyList<GateVerdictCase>> ReadAsync(IEvalRunStore runs, GateVerdictRecord verdict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(verdict);
        using var details = JsonDocument.Parse(verdict.DetailsJson);
        var root = details.RootElement;
        if (!root.TryGetProperty("run", out var run) || run.ValueKind != JsonValueKind.String)
        {
            return [];
        }

        var regressed = root.TryGetProperty("regressed", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var results = await runs.ResultsAsync(run.GetString()!, cancellationToken).ConfigureAwait(false);
        var cases = new List<GateVerdictCase>();
        foreach (var group in results.GroupBy(t => t.CaseId, StringComparer.Ordinal))
        {
            var candidate = group.Where(t => t.ReleaseId == verdict.CandidateReleaseId).OrderBy(t => t.Trial).ToList();
            var baseline = group.Where(t => t.ReleaseId == verdict.BaselineReleaseId).OrderBy(t => t.Trial).ToList();
            var failing = candidate.FirstOrDefault(t => t.Status != TrialStatus.Pass);
            if (failing is null && !regressed.Contains(group.Key))
            {
                continue;
            }

            var shown = failing ?? candidate.FirstOrDefault();
            var good = baseline.FirstOrDefault(t => t.Status == TrialStatus.Pass) ?? baseline.FirstOrDefault();
            cases.Add(new GateVerdictCase(
                group.Key, regressed.Contains(group.Key),
                baseline.Count(t => t.Status == TrialStatus.Pass), baseline.Count, candidate.Count(t => t.Status == TrialStatus.Pass), candidate.Count,
                good?.Display ?? "", shown?.Display ?? "",
                shown is null ? "" : shown.Error ?? string.Join("; ", shown.Scores.Where(s => s.Applicable && !s.Passed).Select(s => $"{s.Scorer}: {s.Reason}"))));
        }

        return [.. cases.OrderByDescending(c => c.Regressed).ThenBy(c => c.CaseId, StringComparer.Ordinal)];
    }
}
