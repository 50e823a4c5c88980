using Glidepath.Errors;
using Glidepath.Providers.Resilience;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// The translating path's retries and per-attempt timeout as a handler: transient failures (429, 5xx, timeouts,
/// connection errors) are sent again with the same backoff. A whole answer is read under the attempt's timeout (so a
/// body cut mid-way is retried too); a stream is retried until its headers, then the copy's idle timeout governs. Each
/// attempt is counted on the call's <see cref="ForwardExchange.Attempts"/> as it begins (the trace's retry count).
/// </summary>
internal sealed class RetryHandler(ResilienceSettings settings, RetryPipeline retry, TimeProvider time, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            static (s, attempt, ct) =>
            {
                s.Exchange.Attempts = attempt;
                return new ValueTask<HttpResponseMessage>(s.Handler.AttemptAsync(s.Request, s.Exchange.Stream, ct));
            },
            (Handler: this, Request: request, Exchange: ConcurrencyLimitHandler.Exchange(request)),
            cancellationToken).AsTask();

    private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, bool stream, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!stream)
            {
                await PooledContent.BufferAsync(response, linked.Token).ConfigureAwait(false);
            }

            return response;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var status = Status(response);
            response?.Dispose();
            throw ProviderErrors.Answered(ProviderErrors.Timeout(settings.Provider, settings.Timeout, streaming: false), status);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var status = Status(response);
            response?.Dispose();
            throw ProviderErrors.Answered(ProviderErrors.Translate(settings.Provider, ex, settings.ApiKey), status);
        }
    }

    /// <summary>The status the provider answered with when the body failed after its headers; null when it did not answer.</summary>
    private static int? Status(HttpResponseMessage? response) => response is null ? null : (int)response.StatusCode;
}
