using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Providers.Resilience;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// A provider's answer on the pass-through path: a whole body (already read and tapped) or a stream of server-sent
/// events copied to the caller as they arrive, each tapped on the way. Disposing it completes the call: the cost is
/// priced, the GenAI span closed and the concurrency slot given back.
/// </summary>
public sealed class ForwardedResponse : IDisposable
{
    /// <summary>How a stream's body is read: the retry handler opens the reader for its first chunk, the copy goes on with it.</summary>
    internal static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, leaveOpen: true);

    private readonly HttpResponseMessage _response;
    private readonly ResponseTap _tap;
    private readonly ResilienceSettings _settings;
    private readonly TimeProvider _time;
    private byte[]? _scratch;
    private byte[]? _joined;

    internal ForwardedResponse(HttpResponseMessage response, ForwardExchange exchange, ResponseTap tap, ResilienceSettings settings, TimeProvider time, ReadOnlyMemory<byte> body)
    {
        _response = response;
        Exchange = exchange;
        _tap = tap;
        _settings = settings;
        _time = time;
        Body = body;
    }

    public ForwardExchange Exchange { get; }

    /// <summary>The whole answer's bytes as the provider sent them (empty for a stream).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// Copies the stream's events to <paramref name="output"/> as they arrive (flushed per read), tapping each;
    /// <paramref name="beforeFirstWrite"/> runs once, before the first byte (the host sets its headers there).
    /// False when the caller went away. A provider failure (a gap longer than the timeout, a broken connection, an
    /// event that is not JSON, a stream that ends without a finish reason) throws a <see cref="ProviderException"/>;
    /// the provider's own error event is copied and left in <see cref="ForwardExchange.StreamError"/>.
    /// </summary>
    /// <remarks>
    /// The stream's last event (<see cref="TappedEvent.Last"/>) is copied only after a complete answer, since an SDK
    /// stops reading there: after a failed one the host's error event comes instead. The copy ends at it, or as soon as
    /// the answer is complete without it (<see cref="ResponseTap.Answered"/>), and a complete answer the provider ended
    /// without it gets the gateway's (<see cref="ResponseTap.LastEvent"/>), so a provider holding its connection open
    /// after answering is not a timeout.
    /// </remarks>
    public async Task<bool> CopyEventsAsync(PipeWriter output, Action beforeFirstWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(beforeFirstWrite);
        var started = false;
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var reader = Exchange.Events ?? PipeReader.Create(await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), ReaderOptions);
        Exchange.Events = null;
        try
        {
            while (true)
            {
                ReadResult read;
                var t0 = Stopwatch.GetTimestamp();
                idle.CancelAfter(_settings.Timeout);
                try
                {
                    read = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Failed(ProviderErrors.Timeout(_settings.Provider, _settings.Timeout, streaming: true));
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    throw Failed(ProviderErrors.Translate(_settings.Provider, ex, _settings.ApiKey));
                }
                finally
                {
                    Exchange.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
                }

                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                var buffer = read.Buffer;
                var wrote = false;
                var ended = false;
                while (!ended && SseEvents.TryTake(ref buffer, out var evt))
                {
                    wrote |= Forward(evt, output, ref started, beforeFirstWrite, ref ended);
                }

                if (!ended && read.IsCompleted && !buffer.IsEmpty)
                {
                    wrote |= Forward(buffer, output, ref started, beforeFirstWrite, ref ended);
                    buffer = buffer.Slice(buffer.End);
                }

                // A complete answer without its last event: the provider closed the stream, or has nothing left to send
                // but that event (no part of another waits in the buffer) and may hold the connection open.
                if (!ended && buffer.IsEmpty && (read.IsCompleted ? Exchange.Succeeded : _tap.Answered(Exchange)))
                {
                    output.Write(_tap.LastEvent);
                    wrote = ended = true;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (wrote)
                {
                    var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return false;
                    }
                }

                if (ended || read.IsCompleted)
                {
                    if (Exchange.StreamError is not null)
                    {
                        Exchange.Failure = "provider_error";
                    }
                    else if (Exchange.FinishReason is null)
                    {
                        // Every complete answer says why it stopped (OpenAI finish_reason, Anthropic stop_reason): a
                        // stream that ends without one was cut short upstream, never a success (fail closed).
                        throw Failed(ProviderErrors.Unfinished(_settings.Provider));
                    }

                    return true;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Completes the call (cost, span, concurrency slot) and releases the connection.</summary>
    public void Dispose()
    {
        Exchange.Events?.Complete(); // a stream never copied (the caller went away first)
        Exchange.Events = null;
        Exchange.RunCompletions();
        _response.Dispose();
    }

    /// <summary>Taps one event and copies it unless it is dropped; <paramref name="ended"/> is set at the stream's last event (copied only after a complete answer).</summary>
    private bool Forward(ReadOnlySequence<byte> evt, PipeWriter output, ref bool started, Action beforeFirstWrite, ref bool ended)
    {
        var tapped = TappedEvent.Copy;
        Exchange.StreamBegan = true;
        try
        {
            if (SseEvents.TryData(evt, ref _scratch, ref _joined, out var data))
            {
                tapped = _tap.Event(data, Exchange);
            }
        }
        catch (JsonException ex)
        {
            throw Failed(new ProviderException(_settings.Provider, null, $"the response is not in the provider's documented format ({ex.Message})", ProviderFailure.MalformedResponse));
        }

        if (tapped == TappedEvent.Last)
        {
            ended = true;
            if (!Exchange.Succeeded)
            {
                return false; // a failed answer's end: the host's error event (or error status) comes instead
            }
        }
        else if (tapped == TappedEvent.Drop)
        {
            return false;
        }

        if (!started)
        {
            started = true;
            beforeFirstWrite();
        }

        foreach (var segment in evt)
        {
            output.Write(segment.Span);
        }

        return true;
    }

    /// <summary>A failure after the headers: the provider answered, with the status the trace keeps.</summary>
    private ProviderException Failed(ProviderException ex)
    {
        Exchange.Failure = ex.Failure.ToString();
        return ProviderErrors.Answered(ex, (int)_response.StatusCode);
    }
}
