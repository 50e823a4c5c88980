using System.Collections.Concurrent;
using Glidepath.Errors;

namespace Glidepath.Storage.InMemory;

/// <summary>
/// In-memory stores: <c>memory:</c> is a new private store each time it is created; <c>memory:NAME</c> is one store
/// per name in this process, so a test or a demo can open the same store from several hosts (a CLI command and a
/// gateway, say) the way they would open one file.
/// </summary>
public sealed class InMemoryStoreProvider : IStoreProvider
{
    public const string Scheme = "memory:";

    // Process-wide, like a file system: two providers opening memory:NAME reach the same store.
    private static readonly ConcurrentDictionary<string, Lazy<InMemoryStore>> Named = new(StringComparer.Ordinal);

    public string Name => "memory";

    public string Forms => "memory: (a private in-memory store) or memory:NAME (one in-memory store per name in this process)";

    public bool Handles(string location) => location?.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) == true;

    public Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken) =>
        Synchronously.Run(() => Open(location, create), cancellationToken);

    private static IGlidepathStore Open(string location, bool create)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new BadInputException($"'{location}' is not an in-memory store location; expected memory: or memory:NAME");
        }

        var name = location[Scheme.Length..];
        if (name.Length == 0)
        {
            // Nothing is there before it is created: a private store opened only to read would always be empty.
            return create ? new InMemoryStore() : throw NoStore(location);
        }

        if (create)
        {
            return Named.GetOrAdd(name, n => new Lazy<InMemoryStore>(() => new InMemoryStore(n))).Value;
        }

        return Named.TryGetValue(name, out var existing) ? existing.Value : throw NoStore(location);
    }

    private static BadInputException NoStore(string location) =>
        new($"no store at {location}; expected an existing store (commands that write, such as 'glidepath release create', create one)");
}
