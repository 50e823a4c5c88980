using Glidepath.Access;

namespace Glidepath.Storage.Contract.Tests.Support;

/// <summary>
/// An access-token store whose <see cref="ListAsync"/> answers only once two callers have listed: two token creates
/// through it both read the tokens before either adds one, the interleaving of two processes creating at once.
/// </summary>
internal sealed class RacingAccessTokenStore(IAccessTokenStore inner) : IAccessTokenStore
{
    private readonly TaskCompletionSource _bothListed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _listed;

    public async Task<IReadOnlyList<AccessToken>> ListAsync(string app, CancellationToken cancellationToken)
    {
        var tokens = await inner.ListAsync(app, cancellationToken);
        if (Interlocked.Increment(ref _listed) == 2)
        {
            _bothListed.SetResult();
        }

        await _bothListed.Task.WaitAsync(cancellationToken);
        return tokens;
    }

    public Task AddAsync(AccessToken token, CancellationToken cancellationToken) => inner.AddAsync(token, cancellationToken);

    public Task<AccessToken?> FindAsync(string app, string tokenHash, CancellationToken cancellationToken) => inner.FindAsync(app, tokenHash, cancellationToken);

    public Task<AccessToken?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken) =>
        inner.RevokeAsync(app, id, revocation, cancellationToken);
}
