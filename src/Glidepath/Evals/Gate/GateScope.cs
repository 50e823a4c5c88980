using System.Globalization;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// Whether a gate run is the gate the manifest defines: every case of <c>eval.dataset</c>, at least <c>eval.trials</c>
/// trials. A narrower run (<c>--tag</c>, another <c>--dataset</c>, fewer <c>--trials</c>) still decides and prints its
/// verdict, but a pass of it is not stored: a pass over a few chosen cases must never stand as evidence for promotion,
/// nor replace a block over all of them. Its block or error is stored (marked partial): it stops promotion as any would.
/// </summary>
public static class GateScope
{
    /// <summary>Why <paramref name="run"/> is narrower than the manifest's gate, or null when it is the whole gate.</summary>
    /// <param name="datasetFile">The dataset path of a run or the manifest, as the file it names (relative paths against the manifest's folder).</param>
    public static string? Partial(EvalRun run, EvalConfig config, Func<string, string> datasetFile)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(datasetFile);
        var reasons = new List<string>();
        if (run.Tags.Count > 0)
        {
            reasons.Add($"only the cases tagged {string.Join(", ", run.Tags)}");
        }

        if (!string.Equals(Path.GetFullPath(datasetFile(run.DatasetPath)), Path.GetFullPath(datasetFile(config.Dataset)), StringComparison.Ordinal))
        {
            reasons.Add($"the dataset {run.DatasetPath} instead of eval.dataset {config.Dataset}");
        }

        if (run.Trials < config.Trials)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{run.Trials} trial(s) per case where eval.trials is {config.Trials}"));
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }
}
