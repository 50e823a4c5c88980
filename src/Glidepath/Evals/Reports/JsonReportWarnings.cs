using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Storage;

namespace Glidepath.Evals.Reports;

/// <summary>
/// The warnings of a gate document (<see cref="JsonReport"/>): each an object, or null when there is none. The same fields go
/// into the stored verdict's details, which promote and the checklist read back (<see cref="VerdictWarnings"/>).
/// </summary>
internal static class JsonReportWarnings
{
    /// <summary><c>rule_change</c>, <c>scorer_change</c>, <c>cannot_block</c>, <c>always_failing</c> and <c>dataset_change</c>, in that order.</summary>
    public static void Write(Utf8JsonWriter w, GateReport r)
    {
        RuleChange(w, r.RuleChange);
        ScorerChange(w, r.ScorerChange);
        CaseWarning(w, "cannot_block", r.Decision.CannotBlock is { } blind ? (blind.Message, "cases_lower", blind.CasesLower, blind.Examples) : null);
        CaseWarning(w, "always_failing", r.Decision.AlwaysFailing is { } failing ? (failing.Message, "cases", failing.Cases, failing.Examples) : null);
        DatasetChange(w, r.DatasetChange);
    }

    // The baseline's rule beside this one when they differ: a pull request that changes its own bar, said in the document.
    private static void RuleChange(Utf8JsonWriter w, RuleChange? change)
    {
        if (change is null)
        {
            w.WriteNull("rule_change");
            return;
        }

        var before = change.BaselineRule;
        w.WriteStartObject("rule_change");
        w.WriteString("message", change.Message);
        ChangedBy(w, change.ChangedBy);
        w.WriteStartObject("baseline_rule");
        w.WriteNumber("max_case_regressions", before.MaxCaseRegressions);
        w.WriteNumber("max_mean_drop", before.MaxMeanDrop);
        w.WriteNumber("confidence", before.Confidence);
        w.WriteNumber("trials", before.Trials);
        w.WriteString("sha256", before.Sha256);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // eval.scorers unlike the baseline commit's (an option loosened, a rubric rewritten): the third way to lower the bar.
    private static void ScorerChange(Utf8JsonWriter w, ScorerChange? change)
    {
        if (change is null)
        {
            w.WriteNull("scorer_change");
            return;
        }

        w.WriteStartObject("scorer_change");
        w.WriteString("message", change.Message);
        ChangedBy(w, change.ChangedBy);
        w.WriteString("baseline_scorer_version", change.BaselineScorerVersion);
        w.WriteStartArray("changes");
        foreach (var c in change.Changes)
        {
            w.WriteStartObject();
            w.WriteString("scorer", c.Scorer);
            w.WriteString("change", c.Change);
            w.WriteString("name", c.Name);
            w.WriteString("baseline", c.Baseline);
            w.WriteString("candidate", c.Candidate);
            ChangedBy(w, c.ChangedBy);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    // A pass that could not have blocked the cases that scored lower (too few trials, too few cases moved), and cases that
    // failed every trial on both sides, which cannot show a regression (a broken expectation): each said in the document.
    private static void CaseWarning(Utf8JsonWriter w, string name, (string Message, string CountName, int Count, IReadOnlyList<string> Examples)? warning)
    {
        if (warning is not { } found)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("message", found.Message);
        w.WriteNumber(found.CountName, found.Count);
        JsonReport.Strings(w, "examples", found.Examples);
        w.WriteEndObject();
    }

    // Cases removed or changed against the baseline's commit: a change that drops the cases it breaks, said in the document.
    private static void DatasetChange(Utf8JsonWriter w, DatasetChange? change)
    {
        if (change is null)
        {
            w.WriteNull("dataset_change");
            return;
        }

        w.WriteStartObject("dataset_change");
        w.WriteString("message", change.Message);
        ChangedBy(w, change.ChangedBy);
        w.WriteNumber("removed", change.Removed);
        w.WriteNumber("changed", change.Changed);
        w.WriteNumber("added", change.Added);
        w.WriteStartArray("examples");
        foreach (var (caseId, what) in change.Examples)
        {
            w.WriteStartObject();
            w.WriteString("case_id", caseId);
            w.WriteString("change", what);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    // this_change, base_branch, both; null when who made the difference cannot be told (no merge base).
    private static void ChangedBy(Utf8JsonWriter w, ChangedBy? by)
    {
        if (by is { } known)
        {
            w.WriteString("changed_by", StoredName.Of(known));
        }
        else
        {
            w.WriteNull("changed_by");
        }
    }
}
