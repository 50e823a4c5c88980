using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Gateway.Telemetry;
using Glidepath.Gateway.Wire;
using Glidepath.Models;
using Glidepath.Routing;
using Glidepath.Traces;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// The traffic path for one chat request in either wire format: read, route (sticky split), apply the
/// release, call its provider, answer (streamed per event or whole), then queue the trace.
/// </summary>
internal sealed partial class ChatForwarder
{
    public const string ReleaseHeader = "Glidepath-Release";
    public const string ArmHeader = "Glidepath-Arm";
    public const string TraceHeader = "Glidepath-Trace";
    public const string SubjectHeader = "Glidepath-Subject";
    public const string ConversationHeader = "Glidepath-Conversation";
    public const string VarHeaderPrefix = "Glidepath-Var-";

    /// <summary>With value <c>route</c>: answer 204 with the routing headers only (no provider call, no trace); used by drills.</summary>
    public const string ProbeHeader = "Glidepath-Probe";

    private readonly GatewaySettings _settings;
    private readonly RoutingTableSource _routes;
    private readonly ServingReleases _releases;
    private readonly TraceQueue _traces;
    private readonly OnlineScorer _online;
    private readonly GatewayTelemetry _telemetry;
    private readonly ContentCapture _capture;
    private readonly SubjectHasher _subjects;
    private readonly ILogger<ChatForwarder> _logger;
    private readonly Dictionary<string, string> _environmentVars;
    private readonly string _app;
    private readonly string _environment;

    public ChatForwarder(GatewaySettings settings, RoutingTableSource routes, ServingReleases releases, TraceQueue traces, GatewayTelemetry telemetry, ContentCapture capture, OnlineScorer online, SubjectHasher subjects, ILogger<ChatForwarder> logger)
    {
        _subjects = subjects;
        _settings = settings;
        _routes = routes;
        _releases = releases;
        _online = online;
        _traces = traces;
        _telemetry = telemetry;
        _capture = capture;
        _logger = logger;
        _app = settings.Manifest.App;
        _environment = settings.Environment;
        _environmentVars = new Dictionary<string, string>(settings.Manifest.FindEnvironment(settings.Environment)?.Vars ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Handles one chat request. Nothing leaves without a body in the caller's format: a refused request is a 4xx
    /// traced as <c>bad_request</c>, and an unexpected failure is a 500 with a wire-format body and a trace.
    /// </summary>
    public async Task HandleAsync(HttpContext http, IWireFormat wire)
    {
        var state = new RequestState { Start = Stopwatch.GetTimestamp(), StartedAt = _settings.Time.GetUtcNow() };
        try
        {
            await HandleCoreAsync(http, wire, state).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            if (state.Trace is { Finished: false } trace)
            {
                Finish(trace, state.Activity, 499, "client_closed", null, null);
            }
        }
        catch (Exception ex)
        {
            await FailAsync(http, wire, state, ex).ConfigureAwait(false);
        }
        finally
        {
            state.Activity?.Dispose();
        }
    }

    private async Task HandleCoreAsync(HttpContext http, IWireFormat wire, RequestState state)
    {
        var start = state.Start;
        var startedAt = state.StartedAt;
        var ct = http.RequestAborted;
        var table = _routes.Current;
        ChatRequest request;
        try
        {
            request = await RequestReader.ReadAsync(http.Request, wire, _settings.MaxRequestBodyBytes, ct).ConfigureAwait(false);
            CheckModel(request.Model);
        }
        catch (WireException ex)
        {
            await RefuseAsync(http, wire, state, table, ex).ConfigureAwait(false);
            return;
        }

        if (table?.Stable is null)
        {
            await WriteErrorAsync(http, wire, 503, ErrorKinds.Unavailable,
                $"environment '{_environment}' of '{_app}' has no stable release yet; deploy one with 'glidepath deploy <REF> --env {_environment}' (e.g. 'glidepath deploy v1 --env {_environment}')").ConfigureAwait(false);
            return;
        }

        var headers = http.Request.Headers;
        var probe = string.Equals(headers[ProbeHeader], "route", StringComparison.Ordinal);
        if (probe && !ProbeAccess.Allows(http.Connection.RemoteIpAddress))
        {
            await RefuseAsync(http, wire, state, table, new WireException(403, ErrorKinds.Permission,
                $"'{ProbeHeader}: route' is answered only to callers on the gateway's own machine (loopback); send the request without it")).ConfigureAwait(false);
            return;
        }

        var activity = state.Activity = GatewayTelemetry.Source.StartActivity($"gateway {_app}@{_environment}", ActivityKind.Internal);
        var traceId = TraceIds.Next(activity);
        var key = SubjectKey.Choose(headers[SubjectHeader], request.User, request.MetadataUserId, headers[ConversationHeader], traceId);
        var decision = table.Route(key)!.Value;
        var response = http.Response;
        response.Headers[ReleaseHeader] = decision.Release.Label;
        response.Headers[ArmHeader] = decision.Arm;
        response.Headers[TraceHeader] = traceId;
        Tag(activity, decision, key, request);
        if (probe)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers["Server-Timing"] = ServerTiming(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return;
        }

        var trace = state.Trace = new TraceBuilder
        {
            TraceId = traceId,
            Decision = decision,
            SubjectHash = key.HashWith(_subjects),
            StartedAt = startedAt,
            Start = start,
            Api = wire.Name,
            Stream = request.Stream,
        };

        List<ChatMessage> messages;
        ChatOptions options;
        ServingRelease serving;
        try
        {
            serving = _releases.Get(decision.Release);
            var vars = Vars(headers);
            (messages, options) = ReleaseApplier.Apply(serving, vars, ReferenceEquals(vars, _environmentVars), request.Messages, request.Options);
        }
        catch (BadInputException ex) when (ex.Message.Contains("template variable", StringComparison.Ordinal))
        {
            await WriteErrorAsync(http, wire, 400, ErrorKinds.InvalidRequest, ex.Message).ConfigureAwait(false);
            Finish(trace, activity, 400, "bad_request", null, null);
            return;
        }
        catch (Exception ex)
        {
            LogReleaseUnservable(_logger, decision.Release.Label, ex.Message);
            await WriteErrorAsync(http, wire, 503, ErrorKinds.Unavailable, $"release {decision.Release.Label} cannot be served: {ex.Message}").ConfigureAwait(false);
            Finish(trace, activity, 503, "configuration", null, null);
            return;
        }

        trace.Model = serving.Model.Name;
        trace.Price = serving.Price;
        if (_capture.ShouldCapture(traceId))
        {
            trace.InputJson = _capture.InputJson(request.Messages);
            trace.Output = new StringBuilder();
            trace.CaptureContent = true;
        }

        if (_online.ShouldSample(traceId))
        {
            trace.OnlineRequest = request.Messages;
            trace.Output ??= new StringBuilder();
        }

        var context = new ResponseContext(wire is OpenAiWire ? "chatcmpl-" + traceId[..24] : "msg_" + traceId, serving.Model.Name, startedAt.ToUnixTimeSeconds());
        if (request.Stream)
        {
            await StreamAsync(http, wire, serving, messages, options, request, context, state, activity, ct).ConfigureAwait(false);
        }
        else
        {
            await CompleteAsync(http, wire, serving, messages, options, context, trace, activity, ct).ConfigureAwait(false);
        }
    }

    private async Task CompleteAsync(HttpContext http, IWireFormat wire, ServingRelease serving, List<ChatMessage> messages, ChatOptions options,
        ResponseContext context, TraceBuilder trace, Activity? activity, CancellationToken ct)
    {
        var callStart = Stopwatch.GetTimestamp();
        ChatResponse result;
        try
        {
            result = await serving.Client.GetResponseAsync(messages, options, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            trace.UpstreamTicks = Stopwatch.GetTimestamp() - callStart;
            Finish(trace, activity, 499, "client_closed", null, null);
            return;
        }
        catch (Exception ex)
        {
            trace.UpstreamTicks = Stopwatch.GetTimestamp() - callStart;
            var (status, kind, message, error) = ProviderErrors.Map(ex);
            (trace.UpstreamStatus, trace.UpstreamMessage) = ProviderErrors.Upstream(ex);
            LogProviderFailed(_logger, trace.TraceId, status, ex.Message);
            await WriteErrorAsync(http, wire, status, kind, message).ConfigureAwait(false);
            Finish(trace, activity, status, error, null, null);
            return;
        }

        trace.UpstreamTicks = Stopwatch.GetTimestamp() - callStart;
        trace.Output?.Append(result.Text);
        var http200 = http.Response;
        http200.StatusCode = 200;
        http200.ContentType = "application/json";
        http200.Headers["Server-Timing"] = ServerTiming(trace.OverheadMs(Stopwatch.GetTimestamp()));

        // Written whole before any byte goes out, so a failure while writing still leaves room for a clean 500.
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            wire.WriteResponse(writer, result, context);
        }

        http200.ContentLength = buffer.WrittenCount;
        http200.BodyWriter.Write(buffer.WrittenSpan);
        await FlushQuietlyAsync(http200.BodyWriter).ConfigureAwait(false);
        Finish(trace, activity, 200, null, result.Usage, result.FinishReason, Cost(result.AdditionalProperties));
    }

    private async Task StreamAsync(HttpContext http, IWireFormat wire, ServingRelease serving, List<ChatMessage> messages, ChatOptions options,
        ChatRequest request, ResponseContext context, RequestState state, Activity? activity, CancellationToken ct)
    {
        var trace = state.Trace!;
        var response = http.Response;
        var body = response.BodyWriter;
        var writer = state.StreamWriter = wire.CreateStreamWriter(context, request);
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        decimal? cost = null;
        var started = false;
        await using var updates = serving.Client.GetStreamingResponseAsync(messages, options, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            bool has;
            try
            {
                has = await updates.MoveNextAsync().ConfigureAwait(false);
                trace.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                trace.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
                Finish(trace, activity, 499, "client_closed", usage, finish);
                return;
            }
            catch (Exception ex)
            {
                trace.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
                var (status, kind, message, error) = ProviderErrors.Map(ex);
                (trace.UpstreamStatus, trace.UpstreamMessage) = ProviderErrors.Upstream(ex);
                LogProviderFailed(_logger, trace.TraceId, status, ex.Message);
                if (started)
                {
                    // Headers are gone: the error travels as an event in the caller's format.
                    writer.WriteError(body, kind, message);
                    await FlushQuietlyAsync(body).ConfigureAwait(false);
                }
                else
                {
                    await WriteErrorAsync(http, wire, status, kind, message).ConfigureAwait(false);
                }

                Finish(trace, activity, status, error, usage, finish);
                return;
            }

            if (!has)
            {
                break;
            }

            var update = updates.Current;
            finish = update.FinishReason ?? finish;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case UsageContent u:
                        usage = u.Details;
                        break;
                    case TextContent { Text.Length: > 0 } text:
                        trace.FirstToken ??= Stopwatch.GetTimestamp();
                        trace.Output?.Append(text.Text);
                        break;
                    case FunctionCallContent:
                        trace.FirstToken ??= Stopwatch.GetTimestamp();
                        break;
                }
            }

            cost = Cost(update.AdditionalProperties) ?? cost;
            if (!started)
            {
                started = true;
                StartStream(response, trace);
            }

            writer.WriteUpdate(body, update);
            bool gone;
            try
            {
                var flush = await body.FlushAsync(ct).ConfigureAwait(false);
                gone = flush.IsCompleted || flush.IsCanceled || ct.IsCancellationRequested;
            }
            catch (Exception ex) when (ct.IsCancellationRequested || ex is IOException)
            {
                gone = true;
            }

            if (gone)
            {
                Finish(trace, activity, 499, "client_closed", usage, finish);
                return;
            }
        }

        if (!started)
        {
            StartStream(response, trace);
        }

        writer.WriteEnd(body, usage, finish);
        await FlushQuietlyAsync(body).ConfigureAwait(false);
        Finish(trace, activity, ct.IsCancellationRequested ? 499 : 200, ct.IsCancellationRequested ? "client_closed" : null, usage, finish, cost);
    }

    private static void StartStream(HttpResponse response, TraceBuilder trace)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers["Server-Timing"] = ServerTiming(trace.OverheadMs(Stopwatch.GetTimestamp()));
    }

    private static async Task FlushQuietlyAsync(System.IO.Pipelines.PipeWriter body)
    {
        try
        {
            await body.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The caller went away; the trace still records what happened.
        }
    }

    private void CheckModel(string model)
    {
        var at = model.IndexOf('@', StringComparison.Ordinal);
        var app = at < 0 ? model : model[..at];
        if (!string.Equals(app, _app, StringComparison.Ordinal))
        {
            throw new WireException(404, ErrorKinds.NotFound, $"unknown app '{app}': this gateway serves '{_app}' (environment '{_environment}'); send \"model\": \"{_app}\"");
        }

        if (at >= 0 && !string.Equals(model[(at + 1)..], _environment, StringComparison.Ordinal))
        {
            throw new WireException(404, ErrorKinds.NotFound, $"this gateway serves environment '{_environment}' of '{_app}', not '{model[(at + 1)..]}'; send \"model\": \"{_app}\" or use that environment's gateway");
        }
    }

    private IReadOnlyDictionary<string, string> Vars(IHeaderDictionary headers)
    {
        Dictionary<string, string>? vars = null;
        foreach (var (name, value) in headers)
        {
            if (name.Length > VarHeaderPrefix.Length && name.StartsWith(VarHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                vars ??= new Dictionary<string, string>(_environmentVars, StringComparer.OrdinalIgnoreCase);
                vars[name[VarHeaderPrefix.Length..]] = value.ToString();
            }
        }

        return vars ?? _environmentVars;
    }

    private static async Task WriteErrorAsync(HttpContext http, IWireFormat wire, int status, string kind, string message)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            wire.WriteError(writer, kind, message);
        }

        await FlushQuietlyAsync(response.BodyWriter).ConfigureAwait(false);
    }

    private static decimal? Cost(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(ModelResponseProperties.CostUsd, out var value) && value is not null
            ? Convert.ToDecimal(value, CultureInfo.InvariantCulture)
            : null;

    private static string ServerTiming(double overheadMs) => string.Create(CultureInfo.InvariantCulture, $"gateway;dur={overheadMs:0.###}");

    private void Tag(Activity? activity, RouteDecision decision, SubjectKey key, ChatRequest request)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("glidepath.app", _app);
        activity.SetTag("glidepath.environment", _environment);
        activity.SetTag("glidepath.release", decision.Release.Label);
        activity.SetTag("glidepath.arm", decision.Arm);
        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.request.model", request.Model);
        activity.AddEvent(new ActivityEvent("feature_flag.evaluation", tags: new ActivityTagsCollection
        {
            ["feature_flag.key"] = $"{_app}@{_environment}",
            ["feature_flag.provider.name"] = "glidepath",
            ["feature_flag.result.variant"] = decision.Arm,
            ["feature_flag.result.value"] = decision.Release.Label,
            ["feature_flag.result.reason"] = decision.Bucket is null ? "static" : "split",
            ["feature_flag.context.id"] = key.HashWith(_subjects),
            ["glidepath.canary.weight"] = decision.CanaryWeight,
        }));
    }

    private void Finish(TraceBuilder trace, Activity? activity, int status, string? error, UsageDetails? usage, ChatFinishReason? finish, decimal? cost = null)
    {
        trace.Finished = true;
        var end = Stopwatch.GetTimestamp();
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        var usd = cost is { } c ? (double)c : trace.Price is { } p ? (input * p.Input + output * p.Output) / 1_000_000.0 : 0;
        var record = new TraceRecord
        {
            TraceId = trace.TraceId,
            App = _app,
            Environment = _environment,
            ReleaseId = trace.Decision.Release.Id,
            Arm = trace.Decision.Arm,
            SubjectHash = trace.SubjectHash,
            StartedAt = trace.StartedAt,
            Api = trace.Api,
            Stream = trace.Stream,
            Model = trace.Model,
            Status = status,
            Error = error,
            UpstreamStatus = trace.UpstreamStatus,
            UpstreamMessage = trace.UpstreamMessage,
            LatencyMs = Stopwatch.GetElapsedTime(trace.Start, end).TotalMilliseconds,
            TimeToFirstTokenMs = trace.FirstToken is { } ft ? Stopwatch.GetElapsedTime(trace.Start, ft).TotalMilliseconds : null,
            OverheadMs = trace.OverheadMs(end),
            InputTokens = input,
            OutputTokens = output,
            CostUsd = usd,
            FinishReason = finish?.Value,
            InputJson = trace.InputJson,
            OutputText = trace.CaptureContent && trace.Output is { } o ? _capture.Output(o.ToString()) : null,
        };
        if (trace.OnlineRequest is { } onlineRequest && error is null && status < 400)
        {
            _online.Submit(record, onlineRequest, trace.Output?.ToString() ?? "");
        }
        else
        {
            _traces.TryEnqueue(record);
        }

        LogRequest(_logger, record.TraceId, trace.Decision.Release.Label, record.Arm, record.Status, Math.Round(record.LatencyMs, 1), record.Error ?? "-", record.UpstreamStatus);
        var tags = new TagList
        {
            { "glidepath.environment", _environment },
            { "glidepath.release", trace.Decision.Release.Label },
            { "glidepath.arm", trace.Decision.Arm },
        };
        _telemetry.Duration.Record(record.LatencyMs / 1000.0, tags);
        _telemetry.Overhead.Record(record.OverheadMs / 1000.0, tags);
        if (record.TimeToFirstTokenMs is { } ttft)
        {
            _telemetry.TimeToFirstToken.Record(ttft / 1000.0, tags);
        }

        if (usd > 0)
        {
            _telemetry.Cost.Add(usd, tags);
        }

        if (input + output > 0)
        {
            var inputTags = tags;
            inputTags.Add("gen_ai.token.type", "input");
            _telemetry.Tokens.Add(input, inputTags);
            var outputTags = tags;
            outputTags.Add("gen_ai.token.type", "output");
            _telemetry.Tokens.Add(output, outputTags);
        }

        tags.Add("http.response.status_code", status);
        _telemetry.Requests.Add(1, tags);

        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", status);
            activity.SetTag("gen_ai.response.model", trace.Model);
            activity.SetTag("gen_ai.usage.input_tokens", input);
            activity.SetTag("gen_ai.usage.output_tokens", output);
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
    }

    /// <summary>One line per request: what a person (or a log query) needs to find it and its trace.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "request {TraceId} release {Release} arm {Arm} status {Status} latency_ms {LatencyMs} error {Error} upstream_status {UpstreamStatus}")]
    private static partial void LogRequest(ILogger logger, string traceId, string release, string arm, int status, double latencyMs, string error, int? upstreamStatus);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Trace {TraceId}: provider failed, answered {Status}: {Reason}")]
    private static partial void LogProviderFailed(ILogger logger, string traceId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Release {Release} cannot be served: {Reason}")]
    private static partial void LogReleaseUnservable(ILogger logger, string release, string reason);
}
