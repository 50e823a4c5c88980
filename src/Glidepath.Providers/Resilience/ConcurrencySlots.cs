using System.Globalization;
using Glidepath.Errors;

namespace Glidepath.Providers.Resilience;

/// <summary>The per-provider concurrency limit shared by both provider paths: one slot per call in flight.</summary>
internal static class ConcurrencySlots
{
    /// <summary>
    /// Takes a slot, waiting at most <see cref="ResilienceSettings.MaxQueueWait"/> when set: calls that hang until their
    /// timeout hold their slots, and the traffic behind them should fail fast as overloaded (503), not queue.
    /// </summary>
    public static async Task AcquireAsync(ResilienceSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (settings.MaxQueueWait is not { } wait)
        {
            await settings.Concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (settings.Concurrency.Wait(0, CancellationToken.None))
        {
            return;
        }

        using var timer = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await settings.Concurrency.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(settings.Provider, 503,
                string.Create(CultureInfo.InvariantCulture,
                    $"all {settings.MaxConcurrency} calls allowed in flight to {settings.Provider} are busy and none finished within {wait.TotalSeconds:0.###} s; raise providers.{settings.Provider}.max_concurrency or lower its timeout"),
                ProviderFailure.RateLimited) { Attempts = 0 }; // never sent: not a provider call, nor a retried one
        }
    }
}
