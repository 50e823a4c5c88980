using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// The time one shadow candidate call spent waiting for its provider, measured as <see cref="Chat.ChatCall"/> measures a
/// served call's (the trace's latency minus the gateway's overhead, which the pair takes for the stable side): a whole
/// answer from the call to its return; a streamed answer as the sum of the waits for each of its updates, up to the end
/// of the stream. One per call; not thread-safe.
/// </summary>
internal sealed class ProviderClock(TimeProvider time, long start)
{
    private long _waited;
    private long? _firstToken;

    /// <summary>Milliseconds spent waiting for the provider so far.</summary>
    public double WaitedMs => _waited * 1000.0 / time.TimestampFrequency;

    /// <summary>Milliseconds from the call's start to a streamed answer's first text or tool call; null for a whole answer.</summary>
    public double? FirstTokenMs => _firstToken is { } at ? (at - start) * 1000.0 / time.TimestampFrequency : null;

    /// <summary>Counts the wait since <paramref name="since"/> (a <see cref="TimeProvider.GetTimestamp"/>): a whole answer's call.</summary>
    public void Waited(long since) => _waited += time.GetTimestamp() - since;

    /// <summary>
    /// Reads a streamed answer to its end, as a caller's stream is read, and combines it into one response (text, tool
    /// calls, usage, finish reason, and the cost the pipeline priced). A provider failure mid-stream is thrown, as the
    /// whole call's would be: a candidate error, never a shorter answer.
    /// </summary>
    public async Task<ChatResponse> ReadStreamAsync(IAsyncEnumerable<ChatResponseUpdate> stream, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        decimal? cost = null;
        await using var reader = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var t0 = time.GetTimestamp();
            var has = await reader.MoveNextAsync().ConfigureAwait(false);
            var t1 = time.GetTimestamp();
            _waited += t1 - t0;
            if (!has)
            {
                break;
            }

            var update = reader.Current;
            if (_firstToken is null && update.Contents.Any(c => c is TextContent { Text.Length: > 0 } or FunctionCallContent))
            {
                _firstToken = t1;
            }

            cost = ModelResponseProperties.CostOf(update.AdditionalProperties) ?? cost;
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        if (cost is { } priced)
        {
            (response.AdditionalProperties ??= [])[ModelResponseProperties.CostUsd] = priced;
        }

        return response;
    }
}
