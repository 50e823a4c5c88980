using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Storage;

namespace Glidepath.Evals;

/// <summary>
/// Reads a stored gate verdict's failed cases from its eval run (the verdict's details name the run and the regressed
/// cases) the way the gate reads its run (<see cref="GateRunTally"/>): the results as a stream, once to add each case
/// up, once more for the answers of the cases shown, so a run of any size takes a few numbers per case.
/// </summary>
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

        var runId = run.GetString()!;
        var regressed = root.TryGetProperty("regressed", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];

        var tally = await GateRunTally.ReadAsync(runs.ReadResultsAsync(runId, notPassedOnly: false, cancellationToken), verdict.BaselineReleaseId, verdict.CandidateReleaseId, cancellationToken).ConfigureAwait(false);

        // The cases shown: the candidate failed a trial, or the gate named the case regressed.
        var shown = Enumerable.Range(0, tally.Cases.Count)
            .Where(i => tally.Cases[i].Candidate.Passes < tally.Cases[i].Candidate.Trials || regressed.Contains(tally.Cases[i].CaseId))
            .ToList();
        var answers = await tally.AnswersAsync(shown, runs.ReadResultsAsync(runId, notPassedOnly: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        return [.. shown.Select(i =>
            {
                var (c, (baseline, candidate, why)) = (tally.Cases[i], answers.For(i)!.Value);
                return new GateVerdictCase(c.CaseId, regressed.Contains(c.CaseId), c.Baseline.Passes, c.Baseline.Trials, c.Candidate.Passes, c.Candidate.Trials, baseline, candidate, why);
            })
            .OrderByDescending(c => c.Regressed).ThenBy(c => c.CaseId, StringComparer.Ordinal)];
    }
}
