using Glidepath.Errors;

namespace Glidepath.Storage;

/// <summary>The store providers a host knows, asked in order; the first that handles a location opens it.</summary>
public sealed class StoreProviders
{
    private readonly List<IStoreProvider> _providers = [];

    public StoreProviders Add(IStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _providers.Add(provider);
        return this;
    }

    public IReadOnlyList<IStoreProvider> All => _providers;

    /// <summary>Opens the store at <paramref name="location"/> with the provider that handles it.</summary>
    public Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var provider = _providers.FirstOrDefault(p => p.Handles(location))
            ?? throw new BadInputException($"no store provider handles '{location}'; expected one of: {string.Join("; ", _providers.Select(p => p.Forms))}");
        return provider.OpenAsync(location, create, time, cancellationToken);
    }
}
