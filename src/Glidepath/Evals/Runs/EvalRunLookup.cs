using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>A run named by its id or a unique prefix of it, or bad input that says which: none, or several.</summary>
public static class EvalRunLookup
{
    /// <summary>How many of the most recent runs are searched to tell "ambiguous" from "none" when the store finds no single run.</summary>
    private const int Recent = 1000;

    public static async Task<EvalRun> FindAsync(IEvalRunStore runs, string app, string idOrPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (await runs.GetAsync(app, idOrPrefix, cancellationToken).ConfigureAwait(false) is { } run)
        {
            return run;
        }

        var matches = (await runs.ListAsync(app, Recent, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)).Select(r => r.Id).ToList();
        throw new BadInputException(matches.Count > 1
            ? $"'{idOrPrefix}' is the start of {matches.Count} eval runs of app '{app}' ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", …" : "")}); give more of the id"
            : $"no eval run '{idOrPrefix}' for app '{app}'; 'glidepath eval list' shows the runs");
    }
}
