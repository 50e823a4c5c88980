using System.Net;
using System.Net.Http.Headers;
using Glidepath.Providers.Forwarding;

namespace Glidepath.Providers.Http;

/// <summary>
/// Sits under a provider SDK (the translating path): a streamed answer (server-sent events) is read through an
/// <see cref="EndingEventStream"/>, which ends it for the SDK by the pass-through path's rule once it is complete: at its
/// last event, or an OpenAI answer's finish reason and usage chunk. So a provider that holds its connection open after a
/// complete answer is not a timeout here either, and the SDK, which hands a stream's tool calls over only once it has
/// read the stream to its end, still gets them.
/// </summary>
internal sealed class StreamEndHandler(string provider, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType is not "text/event-stream")
        {
            return response;
        }

        var original = response.Content;
        Stream events;
        try
        {
            events = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        var content = new StreamContent(new EndingEventStream(events, ResponseTap.For(provider)));
        foreach (var (name, values) in original.Headers)
        {
            content.Headers.TryAddWithoutValidation(name, values);
        }

        content.Headers.ContentLength = null;
        response.Content = content; // disposing it disposes the provider's stream (and lets the connection go)
        return response;
    }
}
