using Glidepath.Errors;

namespace Glidepath.Storage.Sqlite;

/// <summary>The embedded store: a file path, or <c>sqlite:PATH</c>.</summary>
public sealed class SqliteStoreProvider : IStoreProvider
{
    public const string Scheme = "sqlite:";

    public string Name => "sqlite";

    public string Forms => "a SQLite file path (or sqlite:PATH)";

    /// <summary>Anything that is not another provider's URI: a path, with or without the <c>sqlite:</c> prefix.</summary>
    public bool Handles(string location) =>
        location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        || (!location.Contains("://", StringComparison.Ordinal) && !location.Contains('=', StringComparison.Ordinal) && !location.StartsWith("memory:", StringComparison.OrdinalIgnoreCase));

    public Task<Schema.StoreMigration> MigrateAsync(string location, CancellationToken cancellationToken) =>
        SqliteStore.MigrateAsync(PathOf(location), cancellationToken);

    public async Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken)
    {
        var path = PathOf(location);
        SqliteStore.RefuseAFolder(path);
        if (!create && (!File.Exists(path) || SqliteStore.IsEmptyFile(path)))
        {
            var what = File.Exists(path) ? $"{path} is an empty file" : $"no store at {path}";
            throw new BadInputException($"{what}; expected an existing store (commands that write, such as 'glidepath release create', create one)");
        }

        return await SqliteStore.OpenAsync(path, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file that is not empty; an empty file is what a new store starts as.</summary>
    public bool? Exists(string location)
    {
        var path = PathOf(location);
        return File.Exists(path) && !SqliteStore.IsEmptyFile(path);
    }

    private static string PathOf(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? location[Scheme.Length..] : location;
    }
}
