namespace Glidepath.Storage;

/// <summary>
/// One kind of store, chosen by the location's scheme (<c>sqlite:</c> or a file path, <c>memory:</c>, later
/// <c>postgres://</c>): the seam every host (CLI, gateway, demo, tests) opens stores through.
/// </summary>
public interface IStoreProvider
{
    /// <summary>Short name for messages, e.g. "sqlite".</summary>
    string Name { get; }

    /// <summary>The location forms this provider opens, for the error that lists them.</summary>
    string Forms { get; }

    /// <summary>Whether <paramref name="location"/> names a store of this kind.</summary>
    bool Handles(string location);

    /// <summary>
    /// Opens the store, migrated. With <paramref name="create"/> false a store that does not exist yet is a
    /// <see cref="Errors.BadInputException"/> ("no store at …"), never created: only commands that write create one.
    /// </summary>
    /// <remarks>
    /// A store at an older schema version, or a newer one, is a <see cref="Schema.StoreSchemaException"/>: only
    /// <see cref="MigrateAsync"/> changes a schema that exists.
    /// </remarks>
    Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>
    /// Opens an existing store for a command that reads it, as <see cref="OpenAsync"/> with create false; a kind of store
    /// that can be read where it cannot be written (a SQLite file on a read-only file system) opens it read-only.
    /// </summary>
    Task<IGlidepathStore> OpenToReadAsync(string location, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(location, create: false, time, cancellationToken);

    /// <summary>
    /// Whether a store is already at <paramref name="location"/>, before a command that writes opens it (and so creates it
    /// when it is not): the CLI says when it created a new one, since a mistyped <c>--store</c> otherwise starts a new,
    /// empty history silently. Null when the kind of store cannot tell without connecting.
    /// </summary>
    bool? Exists(string location) => null;

    /// <summary>
    /// The file the store at <paramref name="location"/> keeps its data in, as the location names it (relative to the current
    /// directory when relative), or null for a store that is not a file: the dirty check of a release leaves it out.
    /// </summary>
    string? FileOf(string location) => null;

    /// <summary>
    /// Applies the migrations the store at <paramref name="location"/> lacks, forward-only, creating it if it does not
    /// exist (<c>glidepath store migrate</c>); a schema newer than this binary is refused. A kind of store without
    /// migrations (in memory) has nothing to do.
    /// </summary>
    Task<Schema.StoreMigration> MigrateAsync(string location, CancellationToken cancellationToken) =>
        Task.FromResult(new Schema.StoreMigration(location, 0, 0, []));

    /// <summary>
    /// Writes a consistent copy of the store at <paramref name="location"/> to <paramref name="file"/> while it is in use
    /// (<c>glidepath store backup</c>), verified before it is kept; an existing <paramref name="file"/> only with
    /// <paramref name="force"/>. A kind of store glidepath cannot back up says how to (a <see cref="Errors.BadInputException"/>).
    /// </summary>
    Task<StoreBackup> BackupAsync(string location, string file, bool force, CancellationToken cancellationToken) =>
        throw new Errors.BadInputException($"a {Name} store is not backed up by glidepath");
}
