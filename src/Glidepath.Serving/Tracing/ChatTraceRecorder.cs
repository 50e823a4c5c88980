using System.Diagnostics;
using Glidepath.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Ends one call: builds its trace record, sends it to online scoring (a sampled success) or the trace queue,
/// logs one line, records the request instruments and the span's closing tags. Never waits for the store.
/// </summary>
internal sealed partial class ChatTraceRecorder(ServingOptions options, TraceQueue traces, OnlineScorer online, ContentCapture capture, ServingTelemetry telemetry, Keys.CallerKeys keys, ILogger<ChatTraceRecorder> logger)
{
    /// <summary>The status tag of a success, boxed once (a tag's value is an object; most requests succeed).</summary>
    private static readonly object Ok = 200;

    private readonly string _app = options.Manifest.App;
    private readonly string _environment = options.Environment;

    /// <summary>
    /// A call was given <paramref name="traceId"/>: from now until its trace is written (or dropped), feedback on it
    /// waits for the batch writer instead of answering "unknown trace".
    /// </summary>
    public void Issued(string traceId) => traces.Issue(traceId);

    /// <summary>A call given <paramref name="traceId"/> ended without a trace (a route-only probe): nobody waits for it.</summary>
    public void NotTraced(string traceId) => traces.Settle(traceId);

    /// <summary>Records the call and returns its trace record (the shadow mirror pairs a stable call's with its candidate's).</summary>
    public TraceRecord Record(TraceBuilder trace, Activity? activity, int status, string? error, UsageDetails? usage, ChatFinishReason? finish, decimal? cost)
    {
        trace.Finished = true;
        var end = Stopwatch.GetTimestamp();
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        var usd = (double)(cost ?? trace.Price?.Cost(usage) ?? 0m);
        var record = new TraceRecord
        {
            TraceId = trace.TraceId,
            App = _app,
            Environment = _environment,
            ReleaseId = trace.Decision.Release.Id,
            Arm = trace.Decision.Arm,
            SubjectHash = trace.SubjectHash,
            KeyId = trace.KeyId,
            KeyName = trace.KeyName,
            StartedAt = trace.StartedAt,
            Api = trace.Api,
            Stream = trace.Stream,
            Model = trace.Model,
            Status = status,
            Error = error,
            UpstreamStatus = trace.UpstreamStatus,
            UpstreamMessage = trace.UpstreamMessage,
            Attempts = trace.Attempts,
            LatencyMs = Stopwatch.GetElapsedTime(trace.Start, end).TotalMilliseconds,
            TimeToFirstTokenMs = trace.FirstToken is { } ft ? Stopwatch.GetElapsedTime(trace.Start, ft).TotalMilliseconds : null,
            OverheadMs = trace.OverheadMs(end),
            InputTokens = input,
            OutputTokens = output,
            CostUsd = usd,
            FinishReason = finish?.Value,
            InputJson = trace.InputJson,
            OutputText = trace.CaptureContent && trace.Output is { } o ? capture.Output(o.ToString()) : null,
        };
        if (record.KeyId is { } keyId && (usd > 0 || status == 200))
        {
            keys.AddSpend(keyId, usd, record.StartedAt); // a served request, even a free one, tells the key's price
        }

        if (trace.OnlineRequest is { } onlineRequest && error is null && status < 400)
        {
            online.Submit(record, onlineRequest, trace.Output?.ToString() ?? "");
        }
        else
        {
            traces.TryEnqueue(record);
        }

        if (record.UpstreamStatus is { } upstreamStatus)
        {
            LogRequest(logger, options.RequestLogLevel, record.TraceId, trace.Decision.Release.Label, record.Arm, record.Status, Math.Round(record.LatencyMs, 1), record.Error ?? "-", upstreamStatus);
        }
        else
        {
            LogRequestUnanswered(logger, options.RequestLogLevel, record.TraceId, trace.Decision.Release.Label, record.Arm, record.Status, Math.Round(record.LatencyMs, 1), record.Error ?? "-");
        }

        Measure(record, trace.Decision.Release.Label, usd, input, output);
        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", status);
            activity.SetTag("gen_ai.response.model", trace.Model);
            activity.SetTag("gen_ai.usage.input_tokens", input);
            activity.SetTag("gen_ai.usage.output_tokens", output);
            if (Glidepath.Models.PromptCacheUsage.Read(usage) is > 0 and var read)
            {
                activity.SetTag("gen_ai.usage.cache_read.input_tokens", read);
            }

            if (Glidepath.Models.PromptCacheUsage.Written(usage) is > 0 and var written)
            {
                activity.SetTag("gen_ai.usage.cache_creation.input_tokens", written);
            }
            if (finish is { } f)
            {
                activity.SetTag("gen_ai.response.finish_reasons", new[] { f.Value });
            }

            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error);
                activity.SetTag("error.type", error);
            }
        }

        return record;
    }

    private void Measure(TraceRecord record, string release, double usd, long input, long output)
    {
        var tags = new TagList
        {
            { "glidepath.environment", _environment },
            { "glidepath.release", release },
            { "glidepath.arm", record.Arm },
        };
        telemetry.Duration.Record(record.LatencyMs / 1000.0, tags);
        telemetry.Overhead.Record(record.OverheadMs / 1000.0, tags);
        if (record.TimeToFirstTokenMs is { } ttft)
        {
            telemetry.TimeToFirstToken.Record(ttft / 1000.0, tags);
        }

        if (usd > 0)
        {
            telemetry.Cost.Add(usd, tags);
        }

        if (input + output > 0)
        {
            var inputTags = tags;
            inputTags.Add("gen_ai.token.type", "input");
            telemetry.Tokens.Add(input, inputTags);
            var outputTags = tags;
            outputTags.Add("gen_ai.token.type", "output");
            telemetry.Tokens.Add(output, outputTags);
        }

        tags.Add("http.response.status_code", record.Status == 200 ? Ok : record.Status);
        telemetry.Requests.Add(1, tags);
    }

    /// <summary>One line per request: what a person (or a log query) needs to find it and its trace.</summary>
    [LoggerMessage(Message = "request {TraceId} release {Release} arm {Arm} status {Status} latency_ms {LatencyMs} error {Error} upstream_status {UpstreamStatus}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string traceId, string release, string arm, int status, double latencyMs, string error, int upstreamStatus);

    /// <summary>As <see cref="LogRequest"/> when no HTTP status came from a provider (the sim, a timeout before the headers, no call made): "none", not "(null)".</summary>
    [LoggerMessage(Message = "request {TraceId} release {Release} arm {Arm} status {Status} latency_ms {LatencyMs} error {Error} upstream_status none")]
    private static partial void LogRequestUnanswered(ILogger logger, LogLevel level, string traceId, string release, string arm, int status, double latencyMs, string error);
}
