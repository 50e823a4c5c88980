using System.Runtime.CompilerServices;
using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Providers.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Providers.Resilience;

/// <summary>
/// Per-call timeout, retries with jittered exponential backoff (honouring retry-after) on 429, 5xx,
/// timeouts and connection errors, and a per-provider concurrency limit. Every failure leaves as a
/// <see cref="ProviderException"/>; nothing is swallowed and no answer is invented.
/// A stream is retried only until its first chunk; after that a gap longer than the timeout fails it, and so does
/// its end without a finish reason.
/// </summary>
internal sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResilienceSettings _settings;
    private readonly TimeProvider _time;
    private readonly RetryPipeline _retry;

    public ResilientChatClient(IChatClient inner, ResilienceSettings settings, TimeProvider time, ILogger logger)
        : base(inner)
    {
        _settings = settings;
        _time = time;
        _retry = RetryPipeline.Build(settings, time, logger);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        await AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _retry.ExecuteAsync(async (list, attempt, ct) =>
            {
                using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                var answered = Answered();
                try
                {
                    // The successful attempt's own time, not the retries' backoff or the wait for a concurrency slot
                    // before it: what an eval counts as the call's latency, and what the response cache keeps.
                    var started = _time.GetTimestamp();
                    var response = await InnerClient.GetResponseAsync(list, options, linked.Token).ConfigureAwait(false);
                    var properties = response.AdditionalProperties ??= [];
                    properties[ModelResponseProperties.LatencyMs] = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 3);
                    ModelResponseProperties.SetAttempts(properties, attempt);
                    return response;
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    throw answered.Stamp(ProviderErrors.Timeout(_settings.Provider, _settings.Timeout, streaming: false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw answered.Stamp(ProviderErrors.Translate(_settings.Provider, ex, _settings.ApiKey));
                }
            }, list, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _settings.Concurrency.Release();
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        await AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Open the stream and read its first chunk under the retry policy.
            var stream = await _retry.ExecuteAsync(async (list, attempt, ct) =>
            {
                var s = new Stream(this, InnerClient.GetStreamingResponseAsync(list, options, CancellationToken.None), ct, Answered());
                try
                {
                    await s.MoveNextAsync().ConfigureAwait(false);

                    // A 200 whose body is not server-sent events (a JSON answer, an HTML error page) parses as no
                    // events at all: that is a broken answer, never an empty success. The first update says how many
                    // attempts the stream took, when more than one.
                    if (s.HasCurrent && attempt > 1)
                    {
                        ModelResponseProperties.SetAttempts(s.Current!.AdditionalProperties ??= [], attempt);
                    }

                    return s.HasCurrent
                        ? s
                        : throw s.Answered.Stamp(new ProviderException(_settings.Provider, null,
                            "the provider answered a streaming request without a single event (is the body server-sent events?)", ProviderFailure.MalformedResponse));
                }
                catch
                {
                    await s.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }, list, cancellationToken).ConfigureAwait(false);

            await using (stream.ConfigureAwait(false))
            {
                var finished = false;
                while (stream.HasCurrent)
                {
                    finished |= stream.Current!.FinishReason is not null;
                    yield return stream.Current;
                    await stream.MoveNextAsync().ConfigureAwait(false);
                }

                // A complete answer says why it stopped; without that the provider cut the stream short (an OpenAI
                // error event, which the SDK skips, ends it the same way): a failure, never a quiet end_turn.
                if (!finished)
                {
                    throw stream.Answered.Stamp(ProviderErrors.Unfinished(_settings.Provider));
                }
            }
        }
        finally
        {
            _settings.Concurrency.Release();
        }
    }

    private Task AcquireAsync(CancellationToken cancellationToken) => ConcurrencySlots.AcquireAsync(_settings, _time, cancellationToken);

    /// <summary>An attempt's record of the status the provider answers with; none for the sim, which makes no HTTP request.</summary>
    private AnsweredStatus Answered() => _settings.Provider == ProviderNames.Sim ? AnsweredStatus.None : AnsweredStatus.Begin();

    /// <summary>One attempt's stream: each wait for the next chunk is bounded by the timeout, which cancels the underlying read.</summary>
    private sealed class Stream : IAsyncDisposable
    {
        private readonly ResilientChatClient _owner;
        private readonly CancellationTokenSource _cts;
        private readonly IAsyncEnumerator<ChatResponseUpdate> _enumerator;
        private Task? _abandoned;

        /// <param name="answered">The attempt's record of the status the provider answered with (opened before the first read sends the request).</param>
        public Stream(ResilientChatClient owner, IAsyncEnumerable<ChatResponseUpdate> source, CancellationToken cancellationToken, AnsweredStatus answered)
        {
            _owner = owner;
            Answered = answered;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _enumerator = source.GetAsyncEnumerator(_cts.Token);
            CallerToken = cancellationToken;
        }

        private CancellationToken CallerToken { get; }

        /// <summary>The status the provider answered this attempt with, which its failures carry.</summary>
        public AnsweredStatus Answered { get; }

        public bool HasCurrent { get; private set; }

        public ChatResponseUpdate? Current { get; private set; }

        public async Task MoveNextAsync()
        {
            var settings = _owner._settings;
            var move = _enumerator.MoveNextAsync().AsTask();
            using var idle = new CancellationTokenSource();
            var timer = Task.Delay(settings.Timeout, _owner._time, idle.Token);
            if (await Task.WhenAny(move, timer).ConfigureAwait(false) != move)
            {
                // Do not wait for the stalled read: cancel it and let it finish in the background.
                _abandoned = move;
                await _cts.CancelAsync().ConfigureAwait(false);
                CallerToken.ThrowIfCancellationRequested();
                throw Answered.Stamp(ProviderErrors.Timeout(settings.Provider, settings.Timeout, streaming: true));
            }

            await idle.CancelAsync().ConfigureAwait(false);
            try
            {
                HasCurrent = await move.ConfigureAwait(false);
                Current = HasCurrent ? _enumerator.Current : null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw Answered.Stamp(ProviderErrors.Translate(settings.Provider, ex, settings.ApiKey));
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_abandoned is { } pending)
            {
                // An iterator cannot be disposed while a MoveNext is in flight: dispose once it ends.
                _ = pending.ContinueWith(async _ =>
                {
                    await SafeDisposeAsync().ConfigureAwait(false);
                }, TaskScheduler.Default);
                return;
            }

            await SafeDisposeAsync().ConfigureAwait(false);
        }

        private async Task SafeDisposeAsync()
        {
            try
            {
                await _enumerator.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or ProviderException or NotSupportedException or InvalidOperationException)
            {
                // the stream is being abandoned after a failure or the end; its close error adds nothing
            }

            _cts.Dispose();
        }
    }
}
