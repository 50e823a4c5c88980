using Glidepath.Storage;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// A SQLite store that also pushes its changes, as PostgreSQL's LISTEN/NOTIFY does, so an app's runtime attaches a watch
/// to it: one whose probes come back (<see cref="Echo"/>, a direct connection) or never do (a LISTEN behind a pooler in
/// transaction mode). It counts how often it was listened to. The inner store is the test's to dispose.
/// </summary>
internal sealed class WatchedStore(IGlidepathStore inner, bool echo) : IGlidepathStore, IRevisionWatch
{
    private Action<RevisionNotice>? _changed;
    private int _listened;

    /// <summary>How many times a host began to watch it.</summary>
    public int Listened => Volatile.Read(ref _listened);

    public async Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listened);
        _changed = changed;
        changed(RevisionNotice.Resync);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task ProbeAsync(string token, CancellationToken cancellationToken)
    {
        if (echo)
        {
            _changed?.Invoke(RevisionNotice.Probe(token));
        }

        return Task.CompletedTask;
    }

    public IReleaseStore Releases => inner.Releases;
    public IEnvironmentStore Environments => inner.Environments;
    public IGateVerdictStore GateVerdicts => inner.GateVerdicts;
    public ITraceStore Traces => inner.Traces;
    public IResponseCacheStore ResponseCache => inner.ResponseCache;
    public IEvalRunStore EvalRuns => inner.EvalRuns;
    public IRolloutStore Rollouts => inner.Rollouts;
    public IMonitorStore Monitor => inner.Monitor;
    public IApiKeyStore ApiKeys => inner.ApiKeys;
    public IAccessTokenStore AccessTokens => inner.AccessTokens;
    public IShadowStore Shadows => inner.Shadows;
    public ISignOutStore SignOuts => inner.SignOuts;
    public string Location => inner.Location;

    public bool IsTransient(Exception error) => inner.IsTransient(error);

    public Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken) => inner.ReadIdentityAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
