using System.Runtime.CompilerServices;
using System.Text.Json;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Providers.Caching;

/// <summary>
/// Serves eval calls from the store's response cache when an unexpired entry matches, marking the
/// response with <see cref="ModelResponseProperties.Cached"/>; hands successful answers to the <see cref="ResponseCacheWriter"/> otherwise.
/// Under <see cref="ResponseCacheMode.Refresh"/> it never serves an entry and writes every answer over it. Errors are never
/// cached: a failed call throws before anything is written, and an answer <c>cacheable</c> rejects (a judge's answer no
/// score can be read from) is neither written nor served. A cache that cannot be read or written is logged and bypassed.
/// </summary>
internal sealed class ResponseCacheChatClient(
    IChatClient inner,
    IResponseCacheStore store,
    ResponseCacheWriter writer,
    string provider,
    string? baseUrl,
    ModelSpec model,
    int trialIndex,
    string? scope,
    ResponseCacheMode mode,
    Func<ChatResponse, bool>? cacheable,
    TimeSpan ttl,
    TimeProvider time,
    ILogger logger) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var key = ResponseCacheKey.Compute(provider, baseUrl, model, list, options, trialIndex, scope);
        var cached = await TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            return cached;
        }

        // The provider's time comes stamped by the resilience layer below (one attempt, no backoff or queue).
        var response = await InnerClient.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        TrySet(key, response, latency: null);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var key = ResponseCacheKey.Compute(provider, baseUrl, model, list, options, trialIndex, scope);
        var cached = await TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            foreach (var update in cached.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        var started = time.GetTimestamp();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in InnerClient.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        TrySet(key, updates.ToChatResponse(), time.GetElapsedTime(started));
    }

    private async Task<ChatResponse?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        if (mode == ResponseCacheMode.Refresh)
        {
            return null;
        }

        try
        {
            var now = time.GetUtcNow();
            var json = writer.TryGetPending(key, now) ?? await store.GetAsync(key, now, cancellationToken).ConfigureAwait(false);
            if (json is null)
            {
                return null;
            }

            var response = CachedResponseReader.TryRead(json) ?? JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions);

            // An entry written before answers kept their latency (2026-12-05) is called again: measured at 0 ms, a
            // cached baseline would pass every latency limit and make a called candidate look slow. So is an answer
            // written before unreadable ones were kept out (2026-12-06): served, it would fail every run until it expired.
            if (response is null || ModelResponseProperties.LatencyOf(response.AdditionalProperties) is null || cacheable?.Invoke(response) == false)
            {
                return null;
            }

            (response.AdditionalProperties ??= [])[ModelResponseProperties.Cached] = true;
            Log.CacheHit(logger, provider, model.Name);
            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CacheFailed(logger, ex.Message);
            return null;
        }
    }

    /// <summary>Hands the answer to the writer, which stores it off the call path, with the time the provider took.</summary>
    /// <param name="latency">The time measured here (a stream, which the resilience layer does not time); null: the stamp below is kept.</param>
    private void TrySet(string key, ChatResponse response, TimeSpan? latency)
    {
        try
        {
            if (cacheable?.Invoke(response) == false)
            {
                return;
            }

            if (latency is { } measured)
            {
                (response.AdditionalProperties ??= []).TryAdd(ModelResponseProperties.LatencyMs, Math.Round(measured.TotalMilliseconds, 3));
            }

            var json = CachedResponseWriter.TryWrite(response) ?? JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
            var now = time.GetUtcNow();
            writer.Enqueue(new CachedResponse(key, provider, model.Name, json, now, now + ttl));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CacheFailed(logger, ex.Message);
        }
    }
}
