using Glidepath.Access;

namespace Glidepath.Storage.InMemory;

/// <summary>Signed-out dashboard sessions, by session id.</summary>
internal sealed class InMemorySignOutStore : ISignOutStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, SignedOutSession> _sessions = new(StringComparer.Ordinal);

    public Task AddAsync(SignedOutSession signOut, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(signOut);
            lock (_sync)
            {
                foreach (var ended in _sessions.Values.Where(s => s.Until < signOut.SignedOutAt - ISignOutStore.ForgetAfter).ToList())
                {
                    _sessions.Remove(ended.SessionId);
                }

                _sessions.TryAdd(signOut.SessionId, signOut with { SignedOutAt = signOut.SignedOutAt.ToUniversalTime(), Until = signOut.Until.ToUniversalTime() });
            }
        }, cancellationToken);

    public Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _sessions.ContainsKey(sessionId);
            }
        }, cancellationToken);
}
