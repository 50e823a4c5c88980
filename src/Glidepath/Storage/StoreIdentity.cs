namespace Glidepath.Storage;

/// <summary>
/// Who a store is: an id that changes only when the store itself is replaced, and the per-store random secret
/// subject hashes are keyed with (<see cref="Routing.SubjectHasher"/>). Neither is ever logged or exported.
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
