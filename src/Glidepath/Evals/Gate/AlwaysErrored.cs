using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// On a verdict <c>error</c>, the cases whose every trial errored on both sides, none of them for a transient cause: a judge
/// that cannot grade a case, a case the provider refuses. A resume asks their trials again and they error again, unlike a
/// timeout, a rate limit, a 5xx or a provider that cannot be reached (<see cref="Runs.TrialResult.TransientError"/>: a 2-minute
/// outage errors every trial of the cases asked meanwhile, and a resume fixes each; trial gate1000 HIGH-1), so every report
/// lists them before the errors and says to fix the case or the scorers (trial gatejudge2 LOW 6: 40 of 61 errors were two
/// such cases, hidden behind ten error lines and "once the cause is gone"). It never changes the verdict or the exit code.
/// </summary>
/// <param name="Message">One sentence for every report: how many cases, how many of the errored trials, and what to do.</param>
/// <param name="Cases">Every such case, in dataset order.</param>
/// <param name="ErroredTrials">The gate's errored trials in all, these cases' and the others'.</param>
public sealed record AlwaysErrored(string Message, IReadOnlyList<ErroredCase> Cases, int ErroredTrials)
{
    /// <summary>The most cases the text, markdown and HTML reports list (the JSON lists every one).</summary>
    public const int MaxShown = 10;

    /// <summary>
    /// Null unless the verdict is an error and some case has trials on both sides, all errored, none of them refused by a
    /// judge's <c>max_spend_usd</c> (raising the cap and resuming does grade those: trial gatejudge3 M3) and none for a
    /// transient cause (a resume is expected to fix those).
    /// </summary>
    internal static AlwaysErrored? Find(GateResult result, IReadOnlyList<CaseTally> cases, bool oneRun, IReadOnlyList<GateError> errors)
    {
        if (result != GateResult.Error)
        {
            return null;
        }

        var capped = errors.Where(e => e.Message.Contains(Scorers.JudgeSpendLimit.ReachedText, StringComparison.Ordinal)).Select(e => e.CaseId).ToHashSet(StringComparer.Ordinal);
        var erroredTrials = errors.Count;
        var found = cases
            .Where(c => c.Baseline.Trials > 0 && c.Baseline.Scored == 0 && c.Candidate.Trials > 0 && c.Candidate.Scored == 0 && !capped.Contains(c.CaseId)
                && c.Baseline.TransientErrors == 0 && c.Candidate.TransientErrors == 0)
            .Select(c => new ErroredCase(c.CaseId, c.Baseline.Trials, c.Baseline.Trials, c.Candidate.Trials, c.Candidate.Trials, oneRun))
            .ToList();
        return found.Count == 0 ? null : new AlwaysErrored(Describe(found, erroredTrials, runId: null), found, erroredTrials);
    }

    /// <summary>The same summary naming the run whose errored trials <c>glidepath eval show</c> lists.</summary>
    public AlwaysErrored ForRun(string runId) => this with { Message = Describe(Cases, ErroredTrials, runId) };

    private static string Describe(IReadOnlyList<ErroredCase> cases, int erroredTrials, string? runId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{cases.Count} case(s) errored on every trial ({cases.Sum(c => c.Errors)} of the {erroredTrials} errored trial(s)): a resume asks them " +
            $"again and will not fix them until the case, its expectations or the scorers (a rubric, the judge) change; " +
            $"glidepath eval show {runId ?? "RUN"} gives each error");
}
