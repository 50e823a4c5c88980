using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Storage;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The one rule for which gate verdict is evidence: the newest verdict for (candidate, baseline) computed on the current
/// dataset and the current scorers, under the gate rule in force (<see cref="GateBasis"/>). A verdict on another dataset,
/// with other scorers or under another rule says nothing about the release as it would be gated today, whichever way it went. Promote, rollout start (CLI and admin API,
/// through <c>EnvironmentService.AssessAsync</c>) and the checklist's eval gate row all ask here.
/// </summary>
public static class CountingVerdict
{
    /// <summary>Reads today's basis from <paramref name="manifest"/> and the pair's verdicts from the store, and applies <see cref="Find"/>.</summary>
    public static async Task<GateEvidence> ReadAsync(IGateVerdictStore verdicts, Manifest manifest, string candidateReleaseId, string baselineReleaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(manifest);
        GateBasis basis;
        try
        {
            basis = await GateBasis.CurrentAsync(manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BadInputException or IOException or UnauthorizedAccessException)
        {
            // No basis, no evidence: refused like a missing verdict (so --force still overrides it), never a crash of promote.
            return new GateEvidence { CandidateReleaseId = candidateReleaseId, BaselineReleaseId = baselineReleaseId, Unavailable = ex.Message };
        }

        var all = await verdicts.ListAsync(manifest.App, candidateReleaseId, cancellationToken).ConfigureAwait(false);
        return Find(all, candidateReleaseId, baselineReleaseId, basis);
    }

    /// <param name="newestFirst">Verdicts as <see cref="IGateVerdictStore.ListAsync"/> returns them (newest first); others than the pair's are ignored.</param>
    public static GateEvidence Find(IEnumerable<GateVerdictRecord> newestFirst, string candidateReleaseId, string baselineReleaseId, GateBasis basis)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(basis);
        GateVerdictRecord? counting = null, newerNotPassed = null, otherRule = null;
        int earlierBlocked = 0, otherDataset = 0, otherScorers = 0, otherRules = 0;
        foreach (var v in newestFirst.Where(v => v.CandidateReleaseId == candidateReleaseId && v.BaselineReleaseId == baselineReleaseId))
        {
            var onBasis = basis.Holds(v);
            if (!onBasis && counting is null && !v.Passed)
            {
                // A newer gate of the pair on other inputs (or under another rule) did not pass: the files this process
                // reads may be the stale ones (a gateway's image, an old checkout), so an older pass on them never outranks it.
                newerNotPassed ??= v;
            }

            if (v.DatasetSha256 != basis.DatasetSha256)
            {
                otherDataset++;
            }
            else if (!basis.HoldsInputs(v))
            {
                otherScorers++;
            }
            else if (!basis.HoldsRule(v))
            {
                // Computed on today's dataset and scorers, but under another gate rule (a loosened max_case_regressions,
                // say, since put back) or before verdicts recorded their rule: evidence for that rule only.
                otherRules++;
                otherRule ??= v;
            }
            else if (counting is null)
            {
                counting = v;
            }
            else if (v.Result == StoredName.Of(GateResult.Blocked))
            {
                earlierBlocked++;
            }
        }

        return new GateEvidence
        {
            CandidateReleaseId = candidateReleaseId,
            BaselineReleaseId = baselineReleaseId,
            Basis = basis,
            Verdict = newerNotPassed is null ? counting : null,
            NewerNotPassed = counting is null ? null : newerNotPassed,
            EarlierBlocked = counting is null || newerNotPassed is not null ? 0 : earlierBlocked,
            OtherDataset = otherDataset,
            OtherScorers = otherScorers,
            OtherRules = otherRules,
            OtherRule = otherRule,
        };
    }
}
