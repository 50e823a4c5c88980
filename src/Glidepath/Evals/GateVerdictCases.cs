using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Storage;

namespace Glidepath.Evals;

/// <summary>
/// Reads a stored gate verdict's failed cases from its eval run (the verdict's details name the run and the regressed
/// cases), as the gate itself does: the run's results are read as a stream twice, first to add each case up
/// (<see cref="SideTally"/>), then for the answers of the cases shown, so a run of any size takes a few numbers per case.
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

        var tallies = new Dictionary<string, (SideTally Baseline, SideTally Candidate)>(StringComparer.Ordinal);
        await foreach (var t in runs.ReadResultsAsync(runId, notPassedOnly: false, cancellationToken).ConfigureAwait(false))
        {
            if (!tallies.TryGetValue(t.CaseId, out var sides))
            {
                tallies[t.CaseId] = sides = (new SideTally(), new SideTally());
            }

            Add(t, sides, verdict);
        }

        // The cases shown: the candidate failed a trial, or the gate named the case regressed.
        var shown = tallies.Where(kv => kv.Value.Candidate.Passes < kv.Value.Candidate.Trials || regressed.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => new Answers(kv.Value.Baseline.ShownIfBaseline, kv.Value.Candidate.ShownIfCandidate), StringComparer.Ordinal);
        if (shown.Count > 0)
        {
            await foreach (var t in runs.ReadResultsAsync(runId, notPassedOnly: false, cancellationToken).ConfigureAwait(false))
            {
                if (shown.TryGetValue(t.CaseId, out var answers))
                {
                    answers.Offer(t, verdict);
                }
            }
        }

        return [.. shown.Select(kv =>
            {
                var (baseline, candidate) = tallies[kv.Key];
                return new GateVerdictCase(
                    kv.Key, regressed.Contains(kv.Key), baseline.Passes, baseline.Trials, candidate.Passes, candidate.Trials,
                    kv.Value.Baseline ?? "", kv.Value.Candidate ?? "", kv.Value.Why ?? "");
            })
            .OrderByDescending(c => c.Regressed).ThenBy(c => c.CaseId, StringComparer.Ordinal)];
    }

    // A release gated against itself has one set of results: they count on both sides.
    private static void Add(TrialResult t, (SideTally Baseline, SideTally Candidate) sides, GateVerdictRecord verdict)
    {
        if (t.ReleaseId == verdict.BaselineReleaseId)
        {
            sides.Baseline.Add(t);
        }

        if (t.ReleaseId == verdict.CandidateReleaseId)
        {
            sides.Candidate.Add(t);
        }
    }

    /// <summary>The texts of one shown case, filled from the trials each side shows.</summary>
    private sealed class Answers(int? baselineTrial, int? candidateTrial)
    {
        public string? Baseline { get; private set; }

        public string? Candidate { get; private set; }

        public string? Why { get; private set; }

        public void Offer(TrialResult t, GateVerdictRecord verdict)
        {
            if (Baseline is null && t.ReleaseId == verdict.BaselineReleaseId && t.Trial == baselineTrial)
            {
                Baseline = t.Display;
            }

            if (Candidate is null && t.ReleaseId == verdict.CandidateReleaseId && t.Trial == candidateTrial)
            {
                Candidate = t.Display;
                Why = t.Why;
            }
        }
    }
}
