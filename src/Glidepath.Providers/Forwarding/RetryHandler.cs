using System.IO.Pipelines;
using Glidepath.Errors;
using Glidepath.Providers.Resilience;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// The translating path's retries and per-attempt timeout as a handler: transient failures (429, 5xx, timeouts,
/// connection errors) are sent again with the same backoff. A whole answer is read under the attempt's timeout (so a
/// body cut mid-way is retried too); a stream is retried until its first data line, as on the translating path until
/// its first event: its headers and the reads up to that line (past comments and blank lines before it) come under the
/// attempt's timeout, then the copy's idle timeout governs. Nothing reaches the caller
/// before that read, so a retry is invisible to it. Each attempt is counted on the call's
/// <see cref="ForwardExchange.Attempts"/> as it begins (the trace's retry count).
/// </summary>
internal sealed class RetryHandler(ResilienceSettings settings, RetryPipeline retry, TimeProvider time, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Most bytes of comments and blank lines held while a stream's first data line is awaited (a provider's keep-alives take a few).</summary>
    internal const int FirstEventLimit = 64 * 1024;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            static (s, attempt, ct) =>
            {
                s.Exchange.Attempts = attempt;
                return new ValueTask<HttpResponseMessage>(s.Handler.AttemptAsync(s.Request, s.Exchange, ct));
            },
            (Handler: this, Request: request, Exchange: ConcurrencyLimitHandler.Exchange(request)),
            cancellationToken).AsTask();

    private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, ForwardExchange exchange, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        HttpResponseMessage? response = null;
        PipeReader? events = null;
        try
        {
            response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!exchange.Stream)
            {
                await PooledContent.BufferAsync(response, linked.Token).ConfigureAwait(false);
            }
            else if (response.Content.Headers.ContentType?.MediaType is "text/event-stream")
            {
                // Wait for the stream's first data line (or its end) and leave what came unconsumed in the reader the
                // copy goes on with, whose first read returns it at once: the reader the copy would open, read here rather
                // than in a method of its own, so a stream costs no allocation more. Comments and blank lines before it
                // (": keep-alive", sent at once by some servers and proxies) are no answer: a stall after them is retried
                // like any other, and they reach the caller with the answering attempt's data, byte for byte. Past
                // FirstEventLimit of them the stream goes on as it is. (Any other body is not a stream: the forwarder
                // reads it whole to say why.)
                events = PipeReader.Create(await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false), ForwardedResponse.ReaderOptions);
                var first = await events.ReadAsync(linked.Token).ConfigureAwait(false);
                while (!first.IsCompleted && first.Buffer.Length < FirstEventLimit && !SseEvents.HasData(first.Buffer))
                {
                    events.AdvanceTo(first.Buffer.Start, first.Buffer.End); // nothing taken, all seen: the next read waits for more
                    first = await events.ReadAsync(linked.Token).ConfigureAwait(false);
                }

                events.AdvanceTo(first.Buffer.Start);
                exchange.Events = events;
            }

            return response;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var status = Abandon(response, events);
            throw ProviderErrors.Answered(ProviderErrors.Timeout(settings.Provider, settings.Timeout, streaming: exchange.Stream && status is not null), status);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var status = Abandon(response, events);
            throw ProviderErrors.Answered(ProviderErrors.Translate(settings.Provider, ex, settings.ApiKey), status);
        }
        catch (OperationCanceledException)
        {
            Abandon(response, events); // the caller went away, e.g. while the stream's first chunk was awaited
            throw;
        }
    }

    /// <summary>Lets go of a failed attempt's answer; returns the status the provider answered with, null when it did not answer.</summary>
    private static int? Abandon(HttpResponseMessage? response, PipeReader? events)
    {
        events?.Complete();
        response?.Dispose();
        return response is null ? null : (int)response.StatusCode;
    }
}
