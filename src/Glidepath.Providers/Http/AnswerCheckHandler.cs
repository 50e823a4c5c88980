using System.Net;
using Glidepath.Providers.Forwarding;

namespace Glidepath.Providers.Http;

/// <summary>
/// Sits under a provider SDK (the translating path), over <see cref="ProviderHttpHandler"/>: a 200 body that is JSON must be an
/// answer by the same rule the pass-through path applies to the bytes it copies (<see cref="ResponseTap.NotAnAnswer"/>):
/// an error body (an OpenAI-compatible proxy's <c>{"error": …}</c>, Anthropic's <c>{"type": "error"}</c>) fails with the
/// provider's message, and an answer without its parts fails as malformed, before the SDK reads it (where it would throw
/// its own exception, e.g. an index out of range, as the message). Streams (server-sent events) are not read here.
/// </summary>
internal sealed class AnswerCheckHandler(string provider, string? apiKey, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>A JSON answer larger than this is left to the SDK (a provider's answers are far smaller).</summary>
    internal const long MaxCheckedBytes = 16 << 20;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType is "text/event-stream"
            || response.Content.Headers.ContentLength is > MaxCheckedBytes)
        {
            return response;
        }

        try
        {
            // The SDKs read a whole answer into memory anyway; buffered here, it is read from that buffer.
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        var stream = response.Content.ReadAsStream(cancellationToken);
        ReadOnlyMemory<byte> body = stream is MemoryStream memory && memory.TryGetBuffer(out var segment)
            ? segment.AsMemory((int)memory.Position)
            : await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        // Not JSON: no failure here, the SDK says so, as before.
        if (ResponseTap.CheckWhole(provider, provider, (int)response.StatusCode, body.Span, apiKey) is { } failure)
        {
            response.Dispose();
            throw failure;
        }

        return response;
    }
}
