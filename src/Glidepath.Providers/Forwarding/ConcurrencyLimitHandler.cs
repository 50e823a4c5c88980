using Glidepath.Providers.Resilience;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Holds one of the provider's <c>max_concurrency</c> slots (the same slots as the translating path's) from the send
/// until the forwarded answer is complete, so a stream keeps its slot while it is copied to the caller.
/// </summary>
internal sealed class ConcurrencyLimitHandler(ResilienceSettings settings, TimeProvider time, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await ConcurrencySlots.AcquireAsync(settings, time, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Exchange(request).OnComplete(() => settings.Concurrency.Release());
            return response;
        }
        catch
        {
            settings.Concurrency.Release();
            throw;
        }
    }

    internal static ForwardExchange Exchange(HttpRequestMessage request) =>
        request.Options.TryGetValue(ForwardExchange.Key, out var exchange) ? exchange : throw new InvalidOperationException("a forwarded request carries its ForwardExchange");
}
