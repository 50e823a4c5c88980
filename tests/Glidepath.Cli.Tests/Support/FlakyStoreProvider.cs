using Glidepath.Storage;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Support;

/// <summary>
/// Opens <c>flaky:</c> as the SQLite store at <paramref name="path"/>, with <c>Rollouts.LatestAsync</c> answered by
/// <paramref name="latest"/> on each call (numbered from 1; given the real store's answer): a store that fails, or
/// tells another state, where a test says.
/// </summary>
public sealed class FlakyStoreProvider(string path, Func<int, Func<Task<global::Glidepath.Rollouts.Rollout?>>, Task<global::Glidepath.Rollouts.Rollout?>> latest) : IStoreProvider
{
    public const string Location = "flaky:test";

    private int _calls;

    public string Name => "flaky";

    public string Forms => Location;

    public bool Handles(string location) => location.StartsWith("flaky:", StringComparison.Ordinal);

    public async Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken)
    {
        var store = await SqliteStore.OpenAsync(path, time, cancellationToken);
        return ForwardingProxy.Wrap<IGlidepathStore>(store, (method, _) => method.Name == "get_Rollouts" ? Rollouts(store.Rollouts) : null);
    }

    private IRolloutStore Rollouts(IRolloutStore inner) => ForwardingProxy.Wrap(inner, (method, args) =>
        method.Name == nameof(IRolloutStore.LatestAsync)
            ? latest(Interlocked.Increment(ref _calls), () => inner.LatestAsync((string)args![0]!, (string)args[1]!, (CancellationToken)args[2]!))
            : null);
}
