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
    Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken);
}
