using Glidepath.Shadow;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// The caps shared by every gateway: before a call, a worker claims a part of the shadow's caps from the store when
/// this gateway's claims are used up (<see cref="ShadowBudget.Want"/>), and a stopping gateway gives back what it did
/// not use. A claim is made under the same lock as the store re-read, so the workers of one gateway claim one at a time.
/// </summary>
internal sealed partial class ShadowMirror
{
    private readonly Hosting.OutageLog _claims = new();

    /// <summary>False when this gateway may not mirror another call: the store granted nothing, or could not be asked (nothing is mirrored blind).</summary>
    private async Task<bool> ClaimAsync(ShadowBudget budget, CancellationToken cancellationToken)
    {
        if (budget.Want(_time.GetUtcNow(), RefreshInterval) is null)
        {
            return true;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (budget.Want(_time.GetUtcNow(), RefreshInterval) is not { } want)
            {
                return true; // another worker claimed meanwhile
            }

            var granted = await _store!.ClaimAsync(budget.Shadow.ShadowId, want, budget.Caps, cancellationToken).ConfigureAwait(false);
            budget.Granted(want, granted, _time.GetUtcNow());
            budget.ClaimFailed = false;
            _claims.Succeeded();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            budget.ClaimFailed = true;
            if (_claims.Failed())
            {
                LogClaimFailed(_logger, budget.Shadow.ShadowId, ex.Message);
            }

            return false;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>At the stop, after the last call: what each shadow's claims left unused goes back to the store for other gateways.</summary>
    private async Task ReturnClaimsAsync()
    {
        foreach (var budget in _budgets.Values)
        {
            var unused = budget.Unused();
            if (unused.Pairs <= 0 && unused.CostUsd <= 0)
            {
                continue;
            }

            try
            {
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _store!.ReturnAsync(budget.Shadow.ShadowId, unused, bounded.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Kept claimed: the shadow may end below its cap by this much, never above it.
                LogReturnFailed(_logger, budget.Shadow.ShadowId, unused.Pairs, unused.CostUsd, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: cannot claim a part of its caps from the store (logged once per outage); nothing is mirrored until it can: {Error}")]
    private static partial void LogClaimFailed(ILogger logger, string shadowId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: could not give back its unused claim ({Pairs} request(s), ${CostUsd}) at the stop, so the shadow may end that far below its caps: {Error}")]
    private static partial void LogReturnFailed(ILogger logger, string shadowId, long pairs, double costUsd, string error);
}
