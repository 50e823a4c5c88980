using System.Diagnostics;
using Glidepath.Gateway.Telemetry;
using Glidepath.Gateway.Wire;
using Glidepath.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Forwarding;

/// <summary>The forwarder's answers when a request does not get through: the caller's refusals and the net for gateway bugs.</summary>
internal sealed partial class ChatForwarder
{
    /// <summary>
    /// Answers a request the caller must fix in its own format and traces it as <c>bad_request</c> against the arm its
    /// headers route to (the body could not be read). Only the trace id is sent back: a refusal never tells the arm.
    /// A request for another app or environment (404) is not this environment's traffic and is not traced.
    /// </summary>
    private async Task RefuseAsync(HttpContext http, IWireFormat wire, RequestState state, RoutingTable? table, WireException ex)
    {
        if (ex.Status == 404 || table?.Stable is null)
        {
            await WriteErrorAsync(http, wire, ex.Status, ex.Kind, ex.Message).ConfigureAwait(false);
            return;
        }

        var activity = state.Activity ??= GatewayTelemetry.Source.StartActivity($"gateway {_app}@{_environment}", ActivityKind.Internal);
        var trace = state.Trace ??= NewTrace(http, wire, state, table, activity, request: null);
        http.Response.Headers[TraceHeader] = trace.TraceId;
        await WriteErrorAsync(http, wire, ex.Status, ex.Kind, ex.Message).ConfigureAwait(false);
        Finish(trace, activity, ex.Status, "bad_request", null, null);
    }

    /// <summary>The net under everything: an unexpected failure is logged, answered 500 (or an error event) in the caller's format, and traced.</summary>
    private async Task FailAsync(HttpContext http, IWireFormat wire, RequestState state, Exception ex)
    {
        var table = _routes.Current;
        if (state.Trace is null && table?.Stable is not null)
        {
            state.Activity ??= GatewayTelemetry.Source.StartActivity($"gateway {_app}@{_environment}", ActivityKind.Internal);
            state.Trace = NewTrace(http, wire, state, table, state.Activity, request: null);
        }

        var traceId = state.Trace?.TraceId ?? "none";
        LogUnexpected(_logger, traceId, ex);
        var message = $"the gateway failed unexpectedly (trace {traceId}); this is a bug in Glidepath, please report it with the trace id";
        if (http.Response.HasStarted)
        {
            if (state.StreamWriter is { } writer)
            {
                try
                {
                    writer.WriteError(http.Response.BodyWriter, ErrorKinds.Api, message);
                }
                catch (InvalidOperationException)
                {
                    // the body writer is already completed; the trace still records the failure
                }

                await FlushQuietlyAsync(http.Response.BodyWriter).ConfigureAwait(false);
            }
        }
        else
        {
            http.Response.Clear(); // drop headers and any part of a body written before the failure
            http.Response.Headers[TraceHeader] = traceId;
            await WriteErrorAsync(http, wire, 500, ErrorKinds.Api, message).ConfigureAwait(false);
        }

        if (state.Trace is { Finished: false } trace)
        {
            Finish(trace, state.Activity, 500, "gateway_error", null, null);
        }
    }

    private TraceBuilder NewTrace(HttpContext http, IWireFormat wire, RequestState state, RoutingTable table, Activity? activity, ChatRequest? request)
    {
        var traceId = TraceIds.Next(activity);
        var headers = http.Request.Headers;
        var key = SubjectKey.Choose(headers[SubjectHeader], request?.User, request?.MetadataUserId, headers[ConversationHeader], traceId);
        return new TraceBuilder
        {
            TraceId = traceId,
            Decision = table.Route(key)!.Value,
            SubjectHash = key.HashWith(_subjects),
            StartedAt = state.StartedAt,
            Start = state.Start,
            Api = wire.Name,
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Trace {TraceId}: unexpected failure in the gateway, answered 500")]
    private static partial void LogUnexpected(ILogger logger, string traceId, Exception exception);
}
