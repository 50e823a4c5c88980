namespace Glidepath.Storage;

/// <summary>
/// Who a store is: an id that changes only when the store itself is replaced, and the per-store random secret
/// subject hashes are keyed with (<see cref="Routing.SubjectHasher"/>). Neither is ever logged or exported. Read with
/// them, in the same query, the schema version the store is at now: a long-running process learns from it that a newer
/// glidepath migrated its store under it.
/// </summary>
/// <param name="StoreId">32 hex digits, random at creation.</param>
/// <param name="SubjectKey">32 random bytes.</param>
public sealed record StoreIdentity(string StoreId, byte[] SubjectKey)
{
    /// <summary>
    /// Counts the times this store object found another file (or another store) where it was opened and followed it:
    /// a change means "reload everything", even when the store id is the same (a copy of the same store put back).
    /// </summary>
    public int Generation { get; init; }

    /// <summary>The store's schema version (its highest migration) when this was read; 0 for a store without migrations (in memory).</summary>
    public int SchemaVersion { get; init; }

    /// <summary>The highest schema version the binary that read this knows; 0 for a store without migrations.</summary>
    public int KnownSchemaVersion { get; init; }

    /// <summary>
    /// Whether a newer glidepath migrated the store after this process opened it (opening a newer store is refused): this
    /// process may drop what the new schema records, and should be upgraded and restarted.
    /// </summary>
    public bool SchemaIsNewer => SchemaVersion > KnownSchemaVersion;
}

/// <summary>Reads a store's identity as it is now, so a long-running process can notice that its store was replaced.</summary>
public interface IStoreIdentitySource
{
    /// <summary>
    /// The identity of the store as found now. A file store whose file was deleted fails (the caller keeps serving
    /// from what it has, fail static); one whose file was replaced by another store returns the new identity, and
    /// every later operation of this store object reads and writes the new file.
    /// </summary>
    Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken);
}
