using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Storage.InMemory;

namespace Glidepath.Storage.Contract.Tests.InMemory;

/// <summary>Named in-memory stores (<c>memory:NAME</c>, a new name each time), so a second handle reaches the same store.</summary>
internal sealed class InMemoryStoreFactory() : ProviderStoreFactory(new InMemoryStoreProvider())
{
    protected override string NewLocation() => InMemoryStoreProvider.Scheme + "contract-" + Guid.NewGuid().ToString("N");
}
