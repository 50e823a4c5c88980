using System.Security.Cryptography;

namespace Glidepath.Storage.InMemory;

/// <summary>
/// A store held in this process's memory, with the SQLite store's behaviour (compare-and-swap with gapless revisions,
/// append-only history, traces counted once, one active rollout per environment, the controller lease) and its
/// exceptions: for tests, demos and an in-process client that needs no file. Everything is gone when the process
/// ends. Thread-safe: each sub-store has one lock, and a rollout transition takes the environment store's lock
/// before its own, so the two commit together.
/// </summary>
public sealed class InMemoryStore : IGlidepathStore
{
    private readonly StoreIdentity _identity;

    /// <summary>A private store, reachable only through this object (location <c>memory:</c>).</summary>
    public InMemoryStore()
        : this(null)
    {
    }

    /// <summary>A store named <paramref name="name"/> (location <c>memory:NAME</c>); <see cref="InMemoryStoreProvider"/> shares one per name.</summary>
    public InMemoryStore(string? name)
    {
        Location = InMemoryStoreProvider.Scheme + name;
        _identity = new StoreIdentity(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RandomNumberGenerator.GetBytes(32));
        var environments = new InMemoryEnvironmentStore();
        Releases = new InMemoryReleaseStore();
        Environments = environments;
        GateVerdicts = new InMemoryGateVerdictStore(Location);
        Traces = new InMemoryTraceStore();
        ResponseCache = new InMemoryResponseCacheStore();
        EvalRuns = new InMemoryEvalRunStore(Location);
        Rollouts = new InMemoryRolloutStore(environments, Location);
        Monitor = new InMemoryMonitorStore(Location);
        ApiKeys = new InMemoryApiKeyStore(Location);
        AccessTokens = new InMemoryAccessTokenStore(Location);
        Shadows = new InMemoryShadowStore();
        SignOuts = new InMemorySignOutStore();
    }

    public string Location { get; }

    public IReleaseStore Releases { get; }

    public IEnvironmentStore Environments { get; }

    public IGateVerdictStore GateVerdicts { get; }

    public ITraceStore Traces { get; }

    public IResponseCacheStore ResponseCache { get; }

    public IEvalRunStore EvalRuns { get; }

    public IRolloutStore Rollouts { get; }

    public IMonitorStore Monitor { get; }

    public IApiKeyStore ApiKeys { get; }

    public IAccessTokenStore AccessTokens { get; }
    public IShadowStore Shadows { get; }

    public ISignOutStore SignOuts { get; }

    /// <summary>A random id and subject key, chosen when the store was made; never replaced (there is no file to swap).</summary>
    public Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // A copy of the key: a caller that scribbles on its array must not change how this store hashes subjects.
        return Task.FromResult(_identity with { SubjectKey = (byte[])_identity.SubjectKey.Clone() });
    }

    /// <summary>Nothing in memory is ever busy: no failure passes with time.</summary>
    public bool IsTransient(Exception error) => false;

    /// <summary>Holds nothing to release. The data stays: other holders of a named store keep using it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
