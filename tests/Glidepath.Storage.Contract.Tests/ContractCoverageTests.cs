using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests;

public sealed class ContractCoverageTests
{
    private static readonly Type[] Contracts = [.. typeof(StoreContract).Assembly.GetTypes().Where(t => t.IsAbstract && t.IsSubclassOf(typeof(StoreContract)))];

    [Theory]
    [InlineData("InMemory")]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void EveryContract_RunsOnEveryStoreKind(string kind)
    {
        var runs = typeof(StoreContract).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.Namespace == $"Glidepath.Storage.Contract.Tests.{kind}" && t.IsSubclassOf(typeof(StoreContract)))
            .Select(t => t.BaseType!)
            .ToList();

        Assert.NotEmpty(Contracts);
        Assert.Equal(Contracts.Select(c => c.Name).Order(StringComparer.Ordinal), runs.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EnvironmentStore_PublicSurface_HasNoUpdateOrDeleteOfHistory()
    {
        var methods = typeof(IEnvironmentStore).GetMethods().Select(m => m.Name).ToList();

        Assert.Equal(["ApplyAsync", "GetAsync", "GetRevisionAsync", "HistoryAsync", "ListAsync"], methods.Order(StringComparer.Ordinal));
    }
}
