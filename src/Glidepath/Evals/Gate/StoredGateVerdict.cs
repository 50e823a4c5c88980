using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;
using Glidepath.Storage;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The verdict a gate run stored, as <c>eval show</c> shows it: the result, its reasons, and whether it still holds, that
/// is, whether it was computed on today's <c>eval.dataset</c> and <c>eval.scorers</c> under the gate rule in force
/// (<see cref="GateBasis.Holds"/>). <see cref="Holds"/> is null when today's basis cannot be read (no dataset file).
/// </summary>
public sealed record StoredGateVerdict(GateVerdictRecord Record, IReadOnlyList<string> Reasons, bool? Holds, string HoldsText)
{
    /// <summary>The verdict <paramref name="run"/> stored; null for an eval run, and for a gate run that stored none (it did not finish, or passed partially).</summary>
    public static async Task<StoredGateVerdict?> ReadAsync(IGateVerdictStore verdicts, Manifest manifest, EvalRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Kind != EvalRunKind.Gate)
        {
            return null;
        }

        // A gate run stores at most one verdict, for its candidate; the verdict's details name the run.
        var candidates = await verdicts.ListAsync(manifest.App, run.ReleaseId, cancellationToken).ConfigureAwait(false);
        foreach (var record in candidates)
        {
            var (runId, reasons) = Details(record.DetailsJson);
            if (runId == run.Id)
            {
                return await WithBasisAsync(record, reasons, manifest, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private static async Task<StoredGateVerdict> WithBasisAsync(GateVerdictRecord record, IReadOnlyList<string> reasons, Manifest manifest, CancellationToken cancellationToken)
    {
        GateBasis basis;
        try
        {
            basis = await GateBasis.CurrentAsync(manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BadInputException or IOException or UnauthorizedAccessException)
        {
            return new StoredGateVerdict(record, reasons, null, $"cannot tell: {ex.Message}");
        }

        var text = basis.Holds(record)
            ? "yes: computed on the current eval.dataset and eval.scorers, under the gate rule in force"
            : record.DatasetSha256 != basis.DatasetSha256
                ? $"no: {basis.Dataset} has changed since (sha256 {record.DatasetSha256[..Math.Min(12, record.DatasetSha256.Length)]} then, {basis.DatasetSha256[..12]} now)"
                : !basis.HoldsInputs(record)
                    ? "no: eval.scorers have changed since"
                    : record.GateRuleSha256 is null
                        ? "no: stored before verdicts recorded their gate rule"
                        : "no: the gate rule (eval.gate, eval.trials) has changed since";
        return new StoredGateVerdict(record, reasons, basis.Holds(record), text);
    }

    /// <summary>The run id and reasons of a verdict's details (as <c>JsonReport.Details</c> writes them); a record without them yields none.</summary>
    private static (string? RunId, IReadOnlyList<string> Reasons) Details(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, []);
            }

            var run = root.TryGetProperty("run", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var reasons = root.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : [];
            return (run, reasons);
        }
        catch (JsonException)
        {
            return (null, []);
        }
    }
}
