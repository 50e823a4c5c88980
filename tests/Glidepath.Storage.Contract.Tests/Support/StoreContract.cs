namespace Glidepath.Storage.Contract.Tests.Support;

/// <summary>
/// The base of every contract: a new empty <see cref="Store"/> per test from the store kind's factory, disposed with
/// everything the factory made after the test.
/// </summary>
public abstract class StoreContract(IStoreFactory factory) : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected IStoreFactory Factory { get; } = factory;

    protected IGlidepathStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await Factory.CreateAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
