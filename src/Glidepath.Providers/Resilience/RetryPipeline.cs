using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Glidepath.Errors;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Glidepath.Providers.Resilience;

/// <summary>
/// The one retry policy of both provider paths (the translating <see cref="ResilientChatClient"/> and the pass-through
/// forwarder): jittered exponential backoff on transient <see cref="ProviderException"/>s, honouring retry-after up to
/// <see cref="ResilienceSettings.MaxRetryAfter"/>. The first attempt runs without the policy's machinery (most calls
/// need no second one: five fewer asynchronous frames per call on the gateway's hot path); when it fails, its failure
/// is handed to the policy as its first attempt's, so what is retried, how often and after which delay is the
/// policy's alone. With a shared back-off (<see cref="ProviderBackoff"/>, evals) each attempt first waits for it and
/// then reports what it met; an attempt rate limited while its storm back-off is on is sent again after the wait without
/// being one of the policy's attempts (it uses none of <c>max_retries</c>), for as long as the back-off says; a call
/// without retries (<c>max_retries: 0</c>) is never sent twice.
/// </summary>
internal sealed class RetryPipeline
{
    private readonly ResiliencePipeline? _retry;
    private readonly ProviderBackoff? _backoff;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _timeout;

    private RetryPipeline(ResiliencePipeline? retry, ResilienceSettings settings)
    {
        _retry = retry;
        _backoff = settings.Backoff;
        _baseDelay = settings.RetryBaseDelay;
        _timeout = settings.Timeout;
    }

    public static RetryPipeline Build(ResilienceSettings settings, TimeProvider time, ILogger logger)
    {
        if (settings.MaxRetries <= 0)
        {
            return new RetryPipeline(null, settings);
        }

        return new RetryPipeline(new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ProviderException>(e => e.IsTransient && !e.EndpointDown && (e.RetryAfter is null || e.RetryAfter <= settings.MaxRetryAfter)),
            MaxRetryAttempts = settings.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = settings.RetryBaseDelay,
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ProviderException { RetryAfter: { } after } ? after : (TimeSpan?)null),
            OnRetry = args =>
            {
                var pe = args.Outcome.Exception as ProviderException;
                var (attempt, failure, delayMs) = (args.AttemptNumber + 1, pe?.Failure.ToString() ?? "?", (long)args.RetryDelay.TotalMilliseconds);
                if (pe?.StatusCode is { } status)
                {
                    Log.Retrying(logger, settings.Provider, attempt, status, failure, delayMs);
                }
                else
                {
                    Log.RetryingUnanswered(logger, settings.Provider, attempt, failure, delayMs);
                }

                return default;
            },
        }).Build(), settings);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> under the policy: once, and again as the policy says while it fails. Each attempt
    /// is given its number (1 for the first), so an answer can say how many it took; a failure that ends the call says it
    /// in <see cref="ProviderException.Attempts"/> (judged as retry_rate: a retried call that then succeeds is a 200 to the
    /// caller and no error).
    /// </summary>
    public async ValueTask<T> ExecuteAsync<TState, T>(Func<TState, int, CancellationToken, ValueTask<T>> attempt, TState state, CancellationToken cancellationToken)
    {
        // With a shared back-off, the requests it sent again uncharged (none without: no allocation).
        var sent = _backoff is null ? null : new StrongBox<int>();
        ExceptionDispatchInfo first;
        try
        {
            return await AttemptAsync(attempt, state, 1, sent, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (_retry is not null && !cancellationToken.IsCancellationRequested)
        {
            // (A caller gone meanwhile gets the failure itself, as before, not the policy's cancellation.)
            first = ExceptionDispatchInfo.Capture(ex);
        }

        var replayed = false;
        var attempts = 1;
        try
        {
            return await _retry!.ExecuteAsync(
                async ct =>
                {
                    if (!replayed)
                    {
                        replayed = true;
                        first.Throw();
                    }

                    return await AttemptAsync(attempt, state, ++attempts, sent, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            ex.Attempts = attempts + (sent?.Value ?? 0);
            throw;
        }
    }

    /// <summary>One attempt; with a shared back-off, after its wait, and what it met reported to it.</summary>
    private ValueTask<T> AttemptAsync<TState, T>(Func<TState, int, CancellationToken, ValueTask<T>> attempt, TState state, int number, StrongBox<int>? sent, CancellationToken cancellationToken) =>
        _backoff is null ? attempt(state, number, cancellationToken) : BackedOffAsync(_backoff, attempt, state, number, sent!, cancellationToken);

    /// <param name="number">The policy's attempt (1 for the first), for the backoff a failure asks.</param>
    /// <param name="sent">The requests of the call sent again uncharged so far: each request is given <paramref name="number"/> plus them as its number.</param>
    private async ValueTask<T> BackedOffAsync<TState, T>(ProviderBackoff backoff, Func<TState, int, CancellationToken, ValueTask<T>> attempt, TState state, int number, StrongBox<int> sent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var probe = await backoff.EnterAsync(cancellationToken).ConfigureAwait(false);
            var reported = false;
            try
            {
                var result = await attempt(state, number + sent.Value, cancellationToken).ConfigureAwait(false);
                reported = true;
                backoff.Completed(probe, null, default, _timeout);
                return result;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Without retry-after, the wait this attempt's own retry would take at the least: the policy's base delay doubled per attempt.
                reported = true;
                // A call without retries (max_retries: 0) is sent once, whatever the back-off says.
                if (!backoff.Completed(probe, ex, _baseDelay * Math.Pow(2, Math.Min(number - 1, 16)), _timeout) || _retry is null)
                {
                    if (ex is ProviderException failure)
                    {
                        failure.Attempts = number + sent.Value;
                    }

                    throw;
                }

                // Rate limited in a storm the back-off holds: sent again after its wait, not one of the policy's attempts.
                sent.Value++;
            }
            finally
            {
                if (probe && !reported)
                {
                    backoff.Abandoned();
                }
            }
        }
    }
}
