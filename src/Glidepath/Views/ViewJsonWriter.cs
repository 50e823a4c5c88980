using System.Text.Json;
using Glidepath.Evals.Runs;
using Glidepath.Releases;

namespace Glidepath.Views;

/// <summary>
/// Views written by hand with a <see cref="Utf8JsonWriter"/>, byte for byte as the serializer writes them with
/// <see cref="ViewJson.Options"/>: for the commands a CI job runs on every change (<c>eval run</c>, <c>gate</c>), so
/// they never start the reflection-based serializer (a fixed cost of each run, and code a build without a JIT cannot run).
/// </summary>
public static class ViewJsonWriter
{
    public static void Release(Utf8JsonWriter w, ReleaseView v)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(v);
        w.WriteStartObject();
        w.WriteString("name", v.Name);
        w.WriteString("id", v.Id);
        w.WriteString("app", v.App);
        w.WriteNumber("version", v.Version);
        w.WriteString("git_commit", v.GitCommit);
        w.WriteBoolean("dirty", v.Dirty);
        w.WriteString("author", v.Author);
        w.WriteString("created_at", v.CreatedAt);
        w.WriteString("message", v.Message);
        if (v.AlsoRecordedAt is { } also)
        {
            w.WriteStartObject("also_recorded_at");
            w.WriteNumber("sequence", also.Sequence);
            w.WriteString("git_commit", also.GitCommit);
            w.WriteBoolean("dirty", also.Dirty);
            w.WriteString("author", also.Author);
            w.WriteString("message", also.Message);
            w.WriteString("recorded_at", also.RecordedAt);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("also_recorded_at");
        }

        w.WriteEndObject();
    }

    public static void Summary(Utf8JsonWriter w, RunSummary s)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(s);
        w.WriteStartObject();
        w.WriteString("release_id", s.ReleaseId);
        w.WriteNumber("cases", s.Cases);
        w.WriteNumber("trials", s.Trials);
        w.WriteNumber("passed", s.Passed);
        w.WriteNumber("failed", s.Failed);
        w.WriteNumber("errors", s.Errors);
        NumberOrNull(w, "pass_rate", s.PassRate);
        NumberOrNull(w, "mean_score", s.MeanScore);
        NumberOrNull(w, "latency_p50_ms", s.LatencyP50Ms);
        NumberOrNull(w, "latency_p95_ms", s.LatencyP95Ms);
        NumberOrNull(w, "cost_usd", s.CostUsd);
        w.WriteNumber("judge_calls", s.JudgeCalls);
        NumberOrNull(w, "judge_cost_usd", s.JudgeCostUsd);
        if (s.JudgeUnansweredCalls > 0)
        {
            // Apart from the billed figures: calls that got no answer, and what max_spend_usd counted them at (an estimate).
            w.WriteNumber("judge_unanswered_calls", s.JudgeUnansweredCalls);
            w.WriteNumber("judge_unanswered_usd", s.JudgeUnansweredUsd);
        }

        w.WriteEndObject();
    }

    public static void NumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
