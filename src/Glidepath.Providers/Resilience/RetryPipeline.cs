using Glidepath.Errors;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Glidepath.Providers.Resilience;

/// <summary>
/// The one retry policy of both provider paths (the translating <see cref="ResilientChatClient"/> and the pass-through
/// forwarder): jittered exponential backoff on transient <see cref="ProviderException"/>s, honouring retry-after up to
/// <see cref="ResilienceSettings.MaxRetryAfter"/>.
/// </summary>
internal static class RetryPipeline
{
    public static ResiliencePipeline Build(ResilienceSettings settings, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ProviderException>(e => e.IsTransient && (e.RetryAfter is null || e.RetryAfter <= settings.MaxRetryAfter)),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ProviderException { RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var pe = args.Outcome.Exception as ProviderException;
                    Log.Retrying(logger, settings.Provider, args.AttemptNumber + 1, pe?.StatusCode, pe?.Failure.ToString() ?? "?", (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
