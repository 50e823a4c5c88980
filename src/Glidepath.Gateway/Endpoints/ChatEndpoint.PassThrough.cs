using System.Buffers;
using Glidepath.Errors;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Providers.Forwarding;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// The pass-through path: the caller's body patched with the release in one pass, sent to the provider that speaks
/// its format, and the answer copied back as it came (whole, or event by event) while the tap reads what the trace
/// needs. Status, headers, errors and the trace are the translating path's.
/// </summary>
internal sealed partial class ChatEndpoint
{
    private static async Task PassThroughAsync(HttpContext http, IWireFormat wire, ChatCall call, ChatRequest request, PooledBuffer body, ResponseContext context, CancellationToken ct)
    {
        var json = RequestReader.Json(body.Memory); // what was parsed: without a leading byte-order mark
        using var patched = new PooledBuffer(json.Length + 1024);
        var anthropic = wire is AnthropicWire;
        BodyPatch.Write(json.Span, ReleasePatch.For(call.Applier!, anthropic), call.SystemPrompt!, request.Stream, patched, request.HasEmptyText);
        if (call.IsShadowSampled && !request.Stream)
        {
            // The shadow candidate gets the caller's own body too, patched with its release when it is mirrored.
            var own = json.Span.ToArray();
            call.MirrorForwarded((applier, prompt) =>
            {
                var candidate = new ArrayBufferWriter<byte>(own.Length + 1024);
                BodyPatch.Write(own, ReleasePatch.For(applier, anthropic), prompt, stream: false, candidate, request.HasEmptyText);
                return candidate.WrittenMemory;
            }, own.Length);
        }

        var forwarded = await call.ForwardAsync(patched.Memory, request.Stream, request.IncludeUsage, ct).ConfigureAwait(false);
        if (forwarded is null)
        {
            await AnswerFailureAsync(http, wire, call.Failure!).ConfigureAwait(false);
            call.Complete();
            return;
        }

        if (request.Stream)
        {
            await CopyStreamAsync(http, wire, call, request, forwarded, context, ct).ConfigureAwait(false);
            return;
        }

        var response = http.Response;
        using (forwarded)
        {
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.Headers["Server-Timing"] = HttpAnswers.ServerTiming(call.OverheadMs());
            response.ContentLength = forwarded.Body.Length;
            response.BodyWriter.Write(forwarded.Body.Span);
            await HttpAnswers.FlushQuietlyAsync(response.BodyWriter).ConfigureAwait(false);
        }

        call.Complete();
    }

    private static async Task CopyStreamAsync(HttpContext http, IWireFormat wire, ChatCall call, ChatRequest request, ForwardedResponse forwarded, ResponseContext context, CancellationToken ct)
    {
        var response = http.Response;
        var started = false;
        bool answered;
        using (forwarded)
        {
            try
            {
                answered = await forwarded.CopyEventsAsync(response.BodyWriter, () =>
                {
                    started = true;
                    HttpAnswers.StartStream(response, call.OverheadMs());
                }, ct).ConfigureAwait(false);
            }
            catch (ProviderException ex)
            {
                call.FailForwarded(ex);
                answered = true;
            }
            catch (Exception ex) when (ct.IsCancellationRequested || ex is IOException)
            {
                answered = false;
            }
        }

        if (!answered)
        {
            call.Complete(499, "client_closed");
            return;
        }

        if (call.Failure is { } failure && failure.IsClientClosed is false && started && forwarded.Exchange.StreamError is null)
        {
            // Headers are gone: the error travels as an event in the caller's format, as on the translating path.
            wire.CreateStreamWriter(context, request).WriteError(response.BodyWriter, failure.Kind, failure.Message);
            await HttpAnswers.FlushQuietlyAsync(response.BodyWriter).ConfigureAwait(false);
        }
        else if (call.Failure is { } early && !started)
        {
            await AnswerFailureAsync(http, wire, early).ConfigureAwait(false);
        }
        else if (!started)
        {
            HttpAnswers.StartStream(response, call.OverheadMs());
            await HttpAnswers.FlushQuietlyAsync(response.BodyWriter).ConfigureAwait(false);
        }

        call.Complete();
    }
}
