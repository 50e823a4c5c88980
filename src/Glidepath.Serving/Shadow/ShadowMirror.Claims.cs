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

    /// <summary>This gateway as a holder of shadow claims in the store (<see cref="ShadowClaims.Lease"/>): made at its start.</summary>
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^16];

    /// <summary>
    /// Renews this gateway's holding of the shadow's claims with what it stored of them (at each re-read of the shadow,
    /// under the re-read lock): a gateway that stops renewing (killed) loses its unused claim after the lease. A holding
    /// the store dropped (this gateway could not renew it for the lease) is no longer this gateway's: it claims anew.
    /// </summary>
    private async Task RenewAsync(ShadowBudget budget, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var held = await _store!.RenewAsync(budget.Shadow.ShadowId, _holder, budget.HeldStored(), at, cancellationToken).ConfigureAwait(false);
        budget.Renewed(held, at);
    }

    /// <summary>
    /// Takes a place for one call: claims from the store when this gateway's claims are used up, then reserves; when
    /// another worker took the place a claim made room for (the claim and the reservation are two steps), claims again
    /// rather than count a call as capped while the store still has room. False: not mirrored.
    /// </summary>
    private async Task<bool> ReserveAsync(ShadowBudget budget, CancellationToken cancellationToken)
    {
        // Each pass either reserves, or another worker reserved the place this one claimed (progress), or the store had
        // nothing left; the bound only guards against a bug.
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            if (!await ClaimAsync(budget, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            if (budget.TryReserve(_time.GetUtcNow()))
            {
                return true;
            }

            if (budget.Want(_time.GetUtcNow(), RefreshInterval) is null)
            {
                return false; // a cap is reached, or the store had nothing left to grant
            }
        }

        return false;
    }

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

            var at = _time.GetUtcNow();
            var granted = await _store!.ClaimAsync(budget.Shadow.ShadowId, _holder, want, budget.Caps, at, cancellationToken).ConfigureAwait(false);
            budget.Granted(want, granted, at);
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
                await _store!.ReturnAsync(budget.Shadow.ShadowId, _holder, unused, bounded.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Kept claimed until the holding lapses (ShadowClaims.Lease): then a claim that finds the caps all claimed counts it again.
                LogReturnFailed(_logger, budget.Shadow.ShadowId, unused.Pairs, unused.CostUsd, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: cannot claim a part of its caps from the store (logged once per outage); nothing is mirrored until it can: {Error}")]
    private static partial void LogClaimFailed(ILogger logger, string shadowId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: could not give back its unused claim ({Pairs} request(s), ${CostUsd}) at the stop; other gateways get it back once its holding lapses (60 s): {Error}")]
    private static partial void LogReturnFailed(ILogger logger, string shadowId, long pairs, double costUsd, string error);
}
