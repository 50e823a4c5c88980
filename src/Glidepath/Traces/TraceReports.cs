using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Models;

namespace Glidepath.Traces;

/// <summary>
/// The JSON answers of <c>traces list</c> and <c>traces show</c>, shared by the CLI's <c>--format json</c> and the admin API. A trace's
/// id is <c>trace_id</c>, as in <c>/v1/feedback</c> and <c>evalset add</c>'s metadata (they said <c>id</c> before).
/// </summary>
public static class TraceReports
{
    /// <summary><c>traces list</c>: <c>{app, environment, traces}</c>, newest first.</summary>
    /// <param name="prices">The manifest's prices: a cost recorded as 0 for a model they do not price is null (unknown).</param>
    /// <param name="more">Whether more traces matched than the list's limit (the list holds the newest of them).</param>
    public static object List(string app, string environment, IReadOnlyList<TraceRecord> traces, EnvironmentViews views, PriceTable prices, bool more = false) =>
        new { app, environment, traces = traces.Select(t => Summary(t, views, prices)), more };

    /// <summary>
    /// <c>traces show</c>: the summary with timings, online scores, feedback, the content the capture policy kept, and the
    /// shadow pair the trace belongs to (<see cref="Shadow.ShadowPairLookup"/>; <c>shadow_pair</c> is null when none).
    /// </summary>
    public static object Show(TraceRecord trace, IReadOnlyList<FeedbackRecord> feedback, EnvironmentViews views, PriceTable prices, Shadow.ShadowPairRecord? pair = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(views);
        return new
        {
            trace = Summary(trace, views, prices),
            shadow_pair = pair is null ? null : new
            {
                shadow_id = pair.ShadowId,
                stable_trace_id = pair.StableTraceId,
                shadow_trace_id = pair.CandidateTraceId,
                stable = views.Ref(pair.StableReleaseId),
                candidate = views.Ref(pair.CandidateReleaseId),
                stored_at = pair.CreatedAt,
            },
            subject_hash = trace.SubjectHash,
            api = trace.Api,
            stream = trace.Stream,
            model = trace.Model,
            finish_reason = trace.FinishReason,
            timings = new { total_ms = trace.LatencyMs, time_to_first_token_ms = trace.TimeToFirstTokenMs, gateway_overhead_ms = trace.OverheadMs },
            online = trace.OnlineScore is null && trace.OnlinePassed is null ? null : new
            {
                score = trace.OnlineScore,
                passed = trace.OnlinePassed,
                scorers = trace.OnlineScoresJson is null ? (JsonElement?)null : JsonDocument.Parse(trace.OnlineScoresJson).RootElement.Clone(),
            },
            feedback = feedback.Select(f => new { score = f.Score, comment = f.Comment, time = f.Time }),
            content = trace.InputJson is null && trace.OutputText is null ? null : new
            {
                input = trace.InputJson is null ? (JsonElement?)null : JsonDocument.Parse(trace.InputJson).RootElement.Clone(),
                output = trace.OutputText,
            },
        };
    }

    private static object Summary(TraceRecord t, EnvironmentViews views, PriceTable prices) => new
    {
        trace_id = t.TraceId,
        started_at = t.StartedAt,
        environment = t.Environment,
        release = views.Ref(t.ReleaseId),
        arm = t.Arm,
        key = t.KeyName is null ? null : new { id = t.KeyId, name = t.KeyName },
        status = t.Status,
        error = t.Error,
        failed = t.IsError,
        upstream_status = t.UpstreamStatus,
        upstream_message = t.UpstreamMessage,
        attempts = t.Attempts,
        latency_ms = t.LatencyMs,
        input_tokens = t.InputTokens,
        output_tokens = t.OutputTokens,
        cost_usd = prices.Known(t.Model, t.CostUsd),
        online_score = t.OnlineScore,
        online_passed = t.OnlinePassed,
        content_captured = t.InputJson is not null || t.OutputText is not null,
        capture_dropped = t.CaptureDropped,
    };
}
