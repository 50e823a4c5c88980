namespace Glidepath.Storage.Contract.Tests.Support;

/// <summary>
/// Makes stores of one kind for the contract suite: a new empty store whenever asked, and further handles on a store
/// opened by its location, as another process would open the same file or database. Disposing the factory disposes
/// every store it handed out and removes whatever it created (files, databases). A new store kind joins the suite
/// by adding a factory and one subclass per contract (see <c>Sqlite/SqliteStoreContracts.cs</c>).
/// </summary>
public interface IStoreFactory : IAsyncDisposable
{
    /// <summary>A new store with nothing in it.</summary>
    Task<IGlidepathStore> CreateAsync();

    /// <summary>Another handle on <paramref name="store"/>, opened through its provider by its location (never created).</summary>
    Task<IGlidepathStore> OpenAgainAsync(IGlidepathStore store);
}
