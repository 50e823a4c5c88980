namespace Glidepath.Storage.Contract.Tests.Support;

/// <summary>Opens every store through its <see cref="IStoreProvider"/>, the way hosts do, at locations the subclass chooses.</summary>
internal abstract class ProviderStoreFactory(IStoreProvider provider) : IStoreFactory
{
    private readonly Lock _sync = new();
    private readonly List<IGlidepathStore> _opened = [];

    /// <summary>A location where no store is yet.</summary>
    protected abstract string NewLocation();

    public async Task<IGlidepathStore> CreateAsync() =>
        Track(await provider.OpenAsync(NewLocation(), create: true, TimeProvider.System, CancellationToken.None));

    public async Task<IGlidepathStore> OpenAgainAsync(IGlidepathStore store) =>
        Track(await provider.OpenAsync(LocationOf(store), create: false, TimeProvider.System, CancellationToken.None));

    /// <summary>
    /// What another process would pass to open <paramref name="store"/>: its <see cref="IGlidepathStore.Location"/>, unless
    /// that leaves out a secret the location was given with (a PostgreSQL password is never shown).
    /// </summary>
    protected virtual string LocationOf(IGlidepathStore store) => store.Location;

    public async ValueTask DisposeAsync()
    {
        List<IGlidepathStore> opened;
        lock (_sync)
        {
            opened = [.. _opened];
            _opened.Clear();
        }

        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        await CleanUpAsync();
    }

    /// <summary>Removes what the stores left behind, once every one of them is disposed.</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    private IGlidepathStore Track(IGlidepathStore store)
    {
        lock (_sync)
        {
            _opened.Add(store);
        }

        return store;
    }
}
