using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Endpoints;

/// <summary>The chat endpoint's answers when a request does not get through: the caller's refusals and the net for gateway bugs.</summary>
internal sealed partial class ChatEndpoint
{
    /// <summary>
    /// Answers a request the caller must fix in its own format and traces it as <c>bad_request</c> against the arm its
    /// headers route to (the body could not be read). Only the trace id is sent back: a refusal never tells the arm.
    /// A request for another app or environment (404) is not this environment's traffic and is not traced.
    /// </summary>
    private async Task RefuseAsync(HttpContext http, IWireFormat wire, RequestState state, WireException ex)
    {
        var call = ex.Status == 404 ? null : state.Call ??= RouteByHeaders(http, wire, state);
        if (call is null)
        {
            await HttpAnswers.ErrorAsync(http, wire, ex.Status, ex.Kind, ex.Message).ConfigureAwait(false);
            return;
        }

        http.Response.Headers[GatewayHeaders.Trace] = call.TraceId;
        await HttpAnswers.ErrorAsync(http, wire, ex.Status, ex.Kind, ex.Message).ConfigureAwait(false);
        call.Complete(ex.Status, Glidepath.Traces.TraceRecord.Refused);
    }

    /// <summary>The net under everything: an unexpected failure is logged, answered 500 (or an error event) in the caller's format, and traced.</summary>
    private async Task FailAsync(HttpContext http, IWireFormat wire, RequestState state, Exception ex)
    {
        var call = state.Call ??= RouteByHeaders(http, wire, state);
        var traceId = call?.TraceId ?? "none";
        LogUnexpected(logger, traceId, ex);
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

                await HttpAnswers.FlushQuietlyAsync(http.Response.BodyWriter).ConfigureAwait(false);
            }
        }
        else
        {
            http.Response.Clear(); // drop headers and any part of a body written before the failure
            http.Response.Headers[GatewayHeaders.Trace] = traceId;
            await HttpAnswers.ErrorAsync(http, wire, 500, ErrorKinds.Api, message).ConfigureAwait(false);
        }

        call?.Complete(500, "gateway_error");
    }

    /// <summary>Routes a request whose body was not read (or not used): by its headers alone. Null when nothing can be routed.</summary>
    private ChatCall? RouteByHeaders(HttpContext http, IWireFormat wire, RequestState state) =>
        chat.Route(GatewayHeaders.Context(http.Request.Headers, wire.Name, state.Start, state.StartedAt, state.Key), request: null);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trace {TraceId}: unexpected failure in the gateway, answered 500")]
    private static partial void LogUnexpected(ILogger logger, string traceId, Exception exception);
}
