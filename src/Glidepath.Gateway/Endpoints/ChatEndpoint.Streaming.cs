using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>The streamed answer: each update from the serving core goes out as the caller's events and is flushed at once.</summary>
internal sealed partial class ChatEndpoint
{
    private static async Task StreamAsync(HttpContext http, IWireFormat wire, ChatCall call, ChatRequest request, ResponseContext context, RequestState state, CancellationToken ct)
    {
        var response = http.Response;
        var body = response.BodyWriter;
        var writer = state.StreamWriter = wire.CreateStreamWriter(context, request);
        var started = false;
        await foreach (var update in call.GetStreamingResponseAsync(ct).ConfigureAwait(false))
        {
            if (!started)
            {
                started = true;
                HttpAnswers.StartStream(response, call.OverheadMs());
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
                call.Complete(499, "client_closed");
                return;
            }
        }

        if (call.Failure is { } failure)
        {
            if (!failure.IsClientClosed && started)
            {
                // Headers are gone: the error travels as an event in the caller's format.
                writer.WriteError(body, failure.Kind, failure.Message);
                await HttpAnswers.FlushQuietlyAsync(body).ConfigureAwait(false);
            }
            else
            {
                await AnswerFailureAsync(http, wire, failure).ConfigureAwait(false);
            }

            call.Complete();
            return;
        }

        if (!started)
        {
            HttpAnswers.StartStream(response, call.OverheadMs());
        }

        writer.WriteEnd(body, call.Usage, call.FinishReason);
        await HttpAnswers.FlushQuietlyAsync(body).ConfigureAwait(false);
        call.Complete();
    }
}
