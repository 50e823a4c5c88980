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
    public Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken) =>
        For(location).OpenAsync(location, create, time, cancellationToken);

    /// <summary>Opens the existing store at <paramref name="location"/> for a command that reads it (<see cref="IStoreProvider.OpenToReadAsync"/>).</summary>
    public Task<IGlidepathStore> OpenToReadAsync(string location, TimeProvider time, CancellationToken cancellationToken) =>
        For(location).OpenToReadAsync(location, time, cancellationToken);

    /// <summary>Whether a store is already at <paramref name="location"/> (null: this kind of store cannot tell without connecting).</summary>
    public bool? Exists(string location) => For(location).Exists(location);

    /// <summary>The store's file (<see cref="IStoreProvider.FileOf"/>), or null for a store that is not a file or a location no provider handles.</summary>
    public string? FileOf(string location) =>
        string.IsNullOrWhiteSpace(location) ? null : _providers.FirstOrDefault(p => p.Handles(location))?.FileOf(location);

    /// <summary>Brings the store at <paramref name="location"/> to this binary's schema version (<c>glidepath store migrate</c>).</summary>
    public Task<Schema.StoreMigration> MigrateAsync(string location, CancellationToken cancellationToken) =>
        For(location).MigrateAsync(location, cancellationToken);

    /// <summary>A verified copy of the store at <paramref name="location"/> (<c>glidepath store backup</c>).</summary>
    public Task<StoreBackup> BackupAsync(string location, string file, bool force, CancellationToken cancellationToken) =>
        For(location).BackupAsync(location, file, force, cancellationToken);

    private IStoreProvider For(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return _providers.FirstOrDefault(p => p.Handles(location))
            ?? throw new BadInputException($"no store provider handles '{Redacted(location)}'; expected one of: {string.Join("; ", _providers.Select(p => p.Forms))}{Hint(location)}");
    }

    /// <summary>A PostgreSQL location in a host that has not added its provider (an SDK app): what to add.</summary>
    private static string Hint(string location) =>
        LooksLikePostgres(location)
            ? ". A PostgreSQL store needs its provider in this host: reference the Glidepath.Storage.Postgres package and add new PostgresStoreProvider() to the host's StoreProviders (docs/sdk.md)"
            : "";

    /// <summary>Whether <paramref name="location"/> is written as a PostgreSQL one (a postgres:// URI or an Npgsql connection string).</summary>
    internal static bool LooksLikePostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The location for a message: every part that could hold a password (a URI's, a connection string's
    /// <c>Password=</c>, however written) replaced by ***; see <see cref="LocationSecrets"/>.
    /// </summary>
    public static string Redacted(string location) => LocationSecrets.In(location).Masked;
}
