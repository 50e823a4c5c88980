using Glidepath.Releases;

namespace Glidepath.Storage;

/// <summary>Registered releases. There is deliberately no way to update or delete one.</summary>
public interface IReleaseStore
{
    /// <summary>
    /// Registers a release, or returns the existing one with the same id (Created = false). Either way the draft's
    /// provenance is appended to the release's records unless an identical one is already there.
    /// </summary>
    Task<ReleaseRegistration> RegisterAsync(ReleaseDraft draft, CancellationToken cancellationToken);

    /// <summary>Every provenance record of a release, oldest first (the first is its first registration).</summary>
    Task<IReadOnlyList<ReleaseProvenance>> ProvenanceAsync(string app, string releaseId, CancellationToken cancellationToken);

    Task<Release?> GetByVersionAsync(string app, int version, CancellationToken cancellationToken);

    Task<Release?> GetByIdAsync(string app, string id, CancellationToken cancellationToken);

    /// <summary>Releases whose id starts with <paramref name="prefix"/> (lower-case hex).</summary>
    Task<IReadOnlyList<Release>> FindByIdPrefixAsync(string app, string prefix, CancellationToken cancellationToken);

    Task<IReadOnlyList<Release>> ListAsync(string app, CancellationToken cancellationToken);
}
