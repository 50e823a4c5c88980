using System.Buffers;
using System.Text;
using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Storage;
using Glidepath.Views;

namespace Glidepath.Evals.Reports;

/// <summary>
/// The gate as JSON (snake_case), for tools: the <c>--report json</c> file, <c>gate --format json</c> and the stored
/// verdict's details. Written by hand with a <see cref="Utf8JsonWriter"/> in the format the reflection-based serializer
/// wrote (indented, relaxed escaping, enums as snake_case words), so a gate never starts that serializer: its
/// metadata and emitted accessors were a fixed cost of every gate, and it cannot run in a build without a JIT.
/// </summary>
public static class JsonReport
{
    /// <summary>Text gathered before it is passed on while the cases are written (a gate of any size is never held whole).</summary>
    private const int FlushBytes = 16 * 1024;

    /// <summary>How every gate document is written: indented, non-ASCII text kept as it is.</summary>
    public static readonly JsonWriterOptions WriterOptions = ViewJson.Writer();

    /// <summary>The whole report as one JSON document followed by a line break.</summary>
    public static string Render(GateReport r) => Text(w => Write(w, r)) + "\n";

    /// <summary>The report as one JSON object.</summary>
    /// <param name="failure">
    /// What a command that exits with a failure adds at the end, as its error object has it (<c>error</c>,
    /// <c>exit_code</c>); null for the report file and the stored verdict.
    /// </param>
    /// <param name="summaries">
    /// Each side's totals as <c>eval run</c> writes its <c>summary</c> (cost, latency, the judge's calls and cost), as
    /// <c>summaries</c>; the command's document has them, the report file and the stored verdict do not. Null: left out.
    /// </param>
    /// <param name="resume">With <paramref name="failure"/>: the command that asks the errored trials again, as <c>resume</c>.</param>
    /// <param name="resumeAfter">With <paramref name="resume"/>: what to do before it (raise a judge's spent <c>max_spend_usd</c>), as <c>resume_after</c>.</param>
    public static void Write(Utf8JsonWriter w, GateReport r, (string Error, int ExitCode)? failure = null, IReadOnlyList<Runs.RunSummary>? summaries = null, string? resume = null, string? resumeAfter = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        var d = r.Decision;
        w.WriteStartObject();
        w.WriteString("verdict", r.ResultWord);
        w.WriteString("app", r.App);
        w.WriteString("run", r.RunId);
        w.WriteString("partial", r.Partial);
        Pair(w, "candidate", "label", r.CandidateLabel, "id", r.CandidateId);
        Pair(w, "baseline", "label", r.BaselineLabel, "id", r.BaselineId);
        Pair(w, "dataset", "path", r.DatasetPath, "sha256", r.DatasetSha256);
        w.WriteString("scorer_version", r.ScorerVersion);
        Judges(w, r);
        Strings(w, "reasons", d.Reasons);
        w.WriteStartObject("counts");
        w.WriteNumber("cases", d.Cases.Count);
        w.WriteNumber("trials", d.Trials);
        w.WriteNumber("regressed", d.Regressions.Count);
        w.WriteNumber("improved", d.Improvements.Count);
        w.WriteNumber("errors", ErroredCases(d));
        w.WriteEndObject();
        ViewJsonWriter.NumberOrNull(w, "baseline_pass_rate", d.BaselinePassRate);
        ViewJsonWriter.NumberOrNull(w, "candidate_pass_rate", d.CandidatePassRate);
        MeanDifference(w, d);
        Rule(w, d.Rule, r.Rule);
        JsonReportWarnings.Write(w, r);
        JsonReportDrops.Write(w, d.DropsNotSignificant);
        w.WriteStartObject("correction");
        w.WriteString("method", d.Correction.Method);
        w.WriteNumber("family_alpha", Math.Round(d.Correction.FamilyAlpha, 12));
        w.WriteNumber("tested", d.Correction.Tested);
        w.WriteNumber("testable", d.Correction.Testable);
        w.WriteNumber("single_trial", d.Correction.SingleTrial);
        w.WriteString("description", d.Correction.Describe());
        w.WriteEndObject();
        w.WriteStartArray("cases");
        foreach (var c in d.Cases)
        {
            Case(w, c);
            if (w.BytesPending >= FlushBytes)
            {
                w.Flush();
            }
        }

        w.WriteEndArray();
        AlwaysErrored(w, d.AlwaysErrored);
        w.WriteStartArray("errors");
        foreach (var e in d.Errors)
        {
            w.WriteStartObject();
            w.WriteString("side", e.Side);
            w.WriteString("case_id", e.CaseId);
            w.WriteNumber("trial", e.Trial);
            w.WriteString("message", e.Message);
            w.WriteBoolean("transient", e.Transient);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("created_at", r.CreatedAt);
        if (summaries is not null)
        {
            w.WriteStartArray("summaries");
            foreach (var summary in summaries)
            {
                ViewJsonWriter.Summary(w, summary);
            }

            w.WriteEndArray();
        }

        if (failure is var (error, exitCode))
        {
            w.WriteString("error", error);
            if (resume is not null)
            {
                w.WriteString("resume", resume);
                if (resumeAfter is not null)
                {
                    w.WriteString("resume_after", resumeAfter);
                }
            }

            w.WriteNumber("exit_code", exitCode);
        }

        w.WriteEndObject();
    }

    /// <summary>What a stored verdict keeps beside its result (<c>details</c>): counts, the cases that changed, the statistics and the rule.</summary>
    public static string Details(GateReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Text(w =>
        {
            var d = r.Decision;
            w.WriteStartObject();
            w.WriteString("run", r.RunId);
            w.WriteString("partial", r.Partial);
            w.WriteNumber("cases", d.Cases.Count);
            w.WriteNumber("trials", d.Trials);
            Strings(w, "regressed", d.Regressions.Select(c => c.CaseId));
            Strings(w, "improved", d.Improvements.Select(c => c.CaseId));
            w.WriteNumber("errors", ErroredCases(d));
            Strings(w, "reasons", d.Reasons);
            ViewJsonWriter.NumberOrNull(w, "baseline_pass_rate", d.BaselinePassRate);
            ViewJsonWriter.NumberOrNull(w, "candidate_pass_rate", d.CandidatePassRate);
            MeanDifference(w, d);
            Rule(w, d.Rule, r.Rule);
            JsonReportWarnings.Write(w, r);
            w.WriteString("correction", d.Correction.Describe());
            Judges(w, r);
            w.WriteEndObject();
        });
    }

    private static void Case(Utf8JsonWriter w, CaseComparison c)
    {
        w.WriteStartObject();
        CaseCounts(w, c, scores: true);
        w.WriteString("change", StoredName.Of(c.Change));
        // null: not loaded (an unchanged case's answers are not kept), never an empty answer (newcomer trial L6).
        w.WriteString("baseline_output", c.BaselineOutput);
        w.WriteString("candidate_output", c.CandidateOutput);
        w.WriteString("candidate_reason", c.CandidateReason);
        Strings(w, "tags", c.Tags);
        w.WriteEndObject();
    }

    /// <summary>A compared case's id, both sides' passes and trials, (with <paramref name="scores"/>) its mean scores, and its p-values: a case in <c>cases</c> and in <c>drops_not_significant</c> alike.</summary>
    internal static void CaseCounts(Utf8JsonWriter w, CaseComparison c, bool scores)
    {
        w.WriteString("case_id", c.CaseId);
        w.WriteNumber("baseline_passes", c.BaselinePasses);
        w.WriteNumber("baseline_trials", c.BaselineTrials);
        w.WriteNumber("candidate_passes", c.CandidatePasses);
        w.WriteNumber("candidate_trials", c.CandidateTrials);
        if (scores)
        {
            ViewJsonWriter.NumberOrNull(w, "baseline_score", c.BaselineScore);
            ViewJsonWriter.NumberOrNull(w, "candidate_score", c.CandidateScore);
        }

        ViewJsonWriter.NumberOrNull(w, "p_value", c.PValue);
        ViewJsonWriter.NumberOrNull(w, "adjusted_p_value", c.AdjustedPValue);
    }

    // Every case whose trials all errored, before the errors: a resume does not fix them (empty when none).
    private static void AlwaysErrored(Utf8JsonWriter w, AlwaysErrored? always)
    {
        w.WriteStartArray("cases_always_errored");
        foreach (var c in always?.Cases ?? [])
        {
            w.WriteStartObject();
            w.WriteString("case_id", c.CaseId);
            w.WriteNumber("errored", c.Errors);
            w.WriteNumber("trials", c.Trials);
            w.WriteNumber("baseline_errored", c.BaselineErrors);
            w.WriteNumber("baseline_trials", c.BaselineTrials);
            w.WriteNumber("candidate_errored", c.CandidateErrors);
            w.WriteNumber("candidate_trials", c.CandidateTrials);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void MeanDifference(Utf8JsonWriter w, GateDecision d)
    {
        w.WriteStartObject("mean_difference");
        ViewJsonWriter.NumberOrNull(w, "estimate", d.MeanDifference);
        ViewJsonWriter.NumberOrNull(w, "low", d.CiLow);
        ViewJsonWriter.NumberOrNull(w, "high", d.CiHigh);
        w.WriteNumber("confidence", d.Confidence);
        w.WriteEndObject();
    }

    private static void Rule(Utf8JsonWriter w, GateRule rule, VerdictRule? stored)
    {
        w.WriteStartObject("rule");
        w.WriteNumber("max_case_regressions", rule.MaxCaseRegressions);
        w.WriteNumber("max_mean_drop", rule.MaxMeanDrop);
        w.WriteNumber("confidence", rule.Confidence);
        w.WriteNumber("seed", rule.Seed);
        w.WriteNumber("resamples", rule.Resamples);
        if (stored is not null)
        {
            // eval.trials makes a run the whole gate; the hash is what a stored verdict is matched on (GateBasis).
            w.WriteNumber("trials", stored.Trials);
            w.WriteString("sha256", stored.Sha256);
        }

        w.WriteEndObject();
    }

    private static void Judges(Utf8JsonWriter w, GateReport r)
    {
        w.WriteStartArray("judges");
        foreach (var j in r.Judges)
        {
            w.WriteStartObject();
            w.WriteString("model", j.Model);
            w.WriteString("rubric_sha256", j.RubricSha256);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Pair(Utf8JsonWriter w, string name, string first, string firstValue, string second, string secondValue)
    {
        w.WriteStartObject(name);
        w.WriteString(first, firstValue);
        w.WriteString(second, secondValue);
        w.WriteEndObject();
    }

    internal static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static string Text(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Cases, like the other counts and JUnit's errors (the errors array lists each errored trial).
    private static int ErroredCases(GateDecision d) => d.Errors.Select(e => e.CaseId).Distinct(StringComparer.Ordinal).Count();
}
