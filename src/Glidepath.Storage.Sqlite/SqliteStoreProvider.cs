namespace Glidepath.Storage.Sqlite;

/// <summary>The embedded store: a file path, or <c>sqlite:PATH</c>.</summary>
public sealed class SqliteStoreProvider : IStoreProvider
{
    public const string Scheme = "sqlite:";

    public string Name => "sqlite";

    public string Forms => "a SQLite file path (or sqlite:PATH)";

    /// <summary>Where the CLI and the gateway take the store's location from: <c>--store / GLIDEPATH_STORE</c>.</summary>
    public const string CliSetting = "--store / GLIDEPATH_STORE";

    /// <summary>
    /// Where the host takes the store's location from, as the messages that refuse a location name it (default
    /// <see cref="CliSetting"/>; the SDK says <c>GlidepathOptions.Store / GLIDEPATH_STORE</c>).
    /// </summary>
    public string Setting { get; init; } = CliSetting;

    /// <summary>Anything that is not another provider's URI: a path, with or without the <c>sqlite:</c> prefix.</summary>
    public bool Handles(string location) =>
        location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        || (!location.Contains("://", StringComparison.Ordinal) && !location.Contains('=', StringComparison.Ordinal) && !location.StartsWith("memory:", StringComparison.OrdinalIgnoreCase));

    public Task<Schema.StoreMigration> MigrateAsync(string location, CancellationToken cancellationToken) =>
        SqliteStore.MigrateAsync(PathOf(location), cancellationToken);

    public Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(location, create, readOnlyFallback: false, time, cancellationToken);

    /// <summary>An existing store, read-only when its folder cannot be written (<see cref="SqliteStore.ReadOnlyNote"/> says so).</summary>
    public Task<IGlidepathStore> OpenToReadAsync(string location, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(location, create: false, readOnlyFallback: true, time, cancellationToken);

    private async Task<IGlidepathStore> OpenAsync(string location, bool create, bool readOnlyFallback, TimeProvider time, CancellationToken cancellationToken)
    {
        var path = PathOf(location);
        var naming = new StoreNaming(Setting, create);
        SqliteStore.RefuseAFolder(path, naming);
        if (!create && (!File.Exists(path) || SqliteStore.IsEmptyFile(path)))
        {
            throw naming.NoStore(path);
        }

        return await SqliteStore.OpenAsync(path, time, SqliteDatabase.DefaultBusyTimeout, naming, cancellationToken, readOnlyFallback).ConfigureAwait(false);
    }

    public Task<StoreBackup> BackupAsync(string location, string file, bool force, CancellationToken cancellationToken) =>
        SqliteBackup.RunAsync(PathOf(location), file, force, new StoreNaming(Setting, Creates: false), cancellationToken);

    /// <summary>A file that is not empty; an empty file is what a new store starts as.</summary>
    public bool? Exists(string location)
    {
        var path = PathOf(location);
        return File.Exists(path) && !SqliteStore.IsEmptyFile(path);
    }

    public string? FileOf(string location) => PathOf(location);

    private static string PathOf(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? location[Scheme.Length..] : location;
    }
}
