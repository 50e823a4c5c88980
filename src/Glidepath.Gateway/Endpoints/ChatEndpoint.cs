using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Providers.Forwarding;
using Glidepath.Serving;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c> and <c>POST /v1/messages</c>: reads the caller's wire format into a
/// <see cref="ChatRequest"/>, hands it to the serving core (<see cref="ChatService"/>: route, apply the release,
/// call the provider, trace), and writes the answer back in the caller's format, whole or as server-sent events.
/// </summary>
internal sealed partial class ChatEndpoint(ChatService chat, ServingOptions serving, GatewayOptions options, CallerAuthentication auth, ProbeAccess probes, ILogger<ChatEndpoint> logger)
{
    // Case-insensitive like header names: Glidepath-Var-Customer_Tier fills customer_tier, as before the allowlist.
    private readonly FrozenSet<string> _requestVars = (serving.Manifest.FindEnvironment(serving.Environment)?.RequestVars ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time = serving.Time;

    // Off unless the environment opts in (routing_headers: true): an answer that names its arm lets any caller learn its
    // subjects' arms and aim requests the provider rejects at one arm, moving the canary judge (docs/security.md).
    private readonly bool _routingHeaders = serving.Manifest.FindEnvironment(serving.Environment)?.RoutingHeaders ?? false;

    /// <summary>
    /// Handles one chat request. Nothing leaves without a body in the caller's format: a refused request is a 4xx
    /// traced as <c>bad_request</c>, and an unexpected failure is a 500 with a wire-format body and a trace.
    /// </summary>
    public async Task HandleAsync(HttpContext http, IWireFormat wire)
    {
        var state = new RequestState { Start = Stopwatch.GetTimestamp(), StartedAt = _time.GetUtcNow() };
        try
        {
            await HandleCoreAsync(http, wire, state).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            state.Call?.Complete(499, "client_closed");
        }
        catch (Exception ex)
        {
            await FailAsync(http, wire, state, ex).ConfigureAwait(false);
        }
        finally
        {
            auth.Leave(state);
            state.Call?.Dispose();
        }
    }

    private async Task HandleCoreAsync(HttpContext http, IWireFormat wire, RequestState state)
    {
        var ct = http.RequestAborted;

        // Before the body is read: an unauthenticated caller costs no parsing, no provider call and no trace.
        if (await auth.AuthenticateAsync(http, wire).ConfigureAwait(false) is not { } key)
        {
            return;
        }

        state.Key = key;

        ChatRequest request;
        using var body = new PooledBuffer((int)Math.Min(http.Request.ContentLength ?? 4096, options.MaxRequestBodyBytes) + 1);
        try
        {
            request = await RequestReader.ReadAsync(http.Request, wire, options.MaxRequestBodyBytes, body, ct).ConfigureAwait(false);
            CheckModel(request.Model);
            GatewayHeaders.CheckVars(http.Request.Headers, _requestVars, chat.Environment);
        }
        catch (WireException ex)
        {
            await RefuseAsync(http, wire, state, ex).ConfigureAwait(false);
            return;
        }

        var headers = http.Request.Headers;
        var probeValue = headers[GatewayHeaders.Probe];
        var probe = probeValue.Count > 0;
        if (probe && !(probeValue.Count == 1 && string.Equals(probeValue[0]?.Trim(), "route", StringComparison.OrdinalIgnoreCase)))
        {
            // Any other value is loud, never a billed model call the sender meant as a probe.
            var shown = probeValue.ToString();
            shown = shown.Length > 40 ? shown[..40] + "…" : shown;
            await RefuseAsync(http, wire, state, WireException.BadRequest(
                $"'{GatewayHeaders.Probe}: {shown}' is not a probe this gateway knows; expected '{GatewayHeaders.Probe}: route', or no such header for a model call")).ConfigureAwait(false);
            return;
        }

        if (probe && !await probes.AllowsAsync(http).ConfigureAwait(false))
        {
            await RefuseAsync(http, wire, state, new WireException(403, ErrorKinds.Permission,
                $"'{GatewayHeaders.Probe}: route' needs an access token with the admin role in '{chat.Environment}' in the {ProbeAccess.TokenHeader} header; send the request without the probe header")).ConfigureAwait(false);
            return;
        }

        // A request that will call the model takes its place among its key's requests in flight (not a probe): before
        // routing, so a refusal is the caller's own limit, never a request or an error of an arm.
        if (!probe && !await auth.AdmitAsync(http, wire, state).ConfigureAwait(false))
        {
            return;
        }

        var call = state.Call = chat.Route(GatewayHeaders.Context(headers, wire.Name, state.Start, state.StartedAt, state.Key, wire is AnthropicWire ? AnthropicBetaHeader.Read(headers) : null), request);
        if (call is null)
        {
            await HttpAnswers.ErrorAsync(http, wire, 503, ErrorKinds.Unavailable, chat.NoStableRelease).ConfigureAwait(false);
            return;
        }

        var response = http.Response;
        if (probe || _routingHeaders)
        {
            response.Headers[GatewayHeaders.Release] = call.ReleaseLabel;
            response.Headers[GatewayHeaders.Arm] = call.Arm;
        }

        response.Headers[GatewayHeaders.Trace] = call.TraceId;
        if (probe)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers["Server-Timing"] = HttpAnswers.ServerTiming(Stopwatch.GetElapsedTime(state.Start).TotalMilliseconds);
            return;
        }

        if (!(options.PassThrough ? call.PrepareForwarding(request) : call.Prepare(request)))
        {
            if (call.Failure!.Status is >= 400 and < 500)
            {
                // A refusal (a prompt variable or tool_choice the request must fix) never tells the arm, as any other.
                response.Headers.Remove(GatewayHeaders.Release);
                response.Headers.Remove(GatewayHeaders.Arm);
            }

            await AnswerFailureAsync(http, wire, call.Failure!).ConfigureAwait(false);
            call.Complete();
            return;
        }

        var context = new ResponseContext(wire is OpenAiWire ? "chatcmpl-" + call.TraceId[..24] : "msg_" + call.TraceId, call.Model!, state.StartedAt.ToUnixTimeSeconds());
        if (call.Forwarder is not null)
        {
            await PassThroughAsync(http, wire, call, request, body, context, ct).ConfigureAwait(false);
        }
        else if (request.Stream)
        {
            await StreamAsync(http, wire, call, request, context, state, ct).ConfigureAwait(false);
        }
        else
        {
            await AnswerAsync(http, wire, call, context, ct).ConfigureAwait(false);
        }
    }

    private static async Task AnswerAsync(HttpContext http, IWireFormat wire, ChatCall call, ResponseContext context, CancellationToken ct)
    {
        var result = await call.GetResponseAsync(ct).ConfigureAwait(false);
        if (result is null)
        {
            await AnswerFailureAsync(http, wire, call.Failure!).ConfigureAwait(false);
            call.Complete();
            return;
        }

        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers["Server-Timing"] = HttpAnswers.ServerTiming(call.OverheadMs());

        // Written whole before any byte goes out, so a failure while writing still leaves room for a clean 500.
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            wire.WriteResponse(writer, result, context);
        }

        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        await HttpAnswers.FlushQuietlyAsync(response.BodyWriter).ConfigureAwait(false);
        call.Complete();
    }

    /// <summary>
    /// A failure before any byte of the answer: an error body, unless the caller is gone. The provider's
    /// <c>Retry-After</c> (a 429 or 503 that said when to come back) goes with it: the SDKs wait that long before their
    /// own retry instead of guessing.
    /// </summary>
    private static Task AnswerFailureAsync(HttpContext http, IWireFormat wire, ChatFailure failure)
    {
        if (failure.IsClientClosed)
        {
            return Task.CompletedTask;
        }

        if (failure.RetryAfter is { } after && !http.Response.HasStarted)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return HttpAnswers.ErrorAsync(http, wire, failure.Status, failure.Kind, failure.Message, failure.Param, failure.Code);
    }

    private void CheckModel(string model)
    {
        var (app, environment) = (chat.App, chat.Environment);
        var at = model.IndexOf('@', StringComparison.Ordinal);
        var requested = at < 0 ? model : model[..at];
        if (!string.Equals(requested, app, StringComparison.Ordinal))
        {
            throw new WireException(404, ErrorKinds.NotFound, $"unknown app '{requested}': this gateway serves '{app}' (environment '{environment}'); send \"model\": \"{app}\"");
        }

        if (at >= 0 && !string.Equals(model[(at + 1)..], environment, StringComparison.Ordinal))
        {
            throw new WireException(404, ErrorKinds.NotFound, $"this gateway serves environment '{environment}' of '{app}', not '{model[(at + 1)..]}'; send \"model\": \"{app}\" or use that environment's gateway");
        }
    }
}
