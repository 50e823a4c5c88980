using Glidepath.Releases;

namespace Glidepath.Storage;

/// <summary>Registered releases. There is deliberately no way to update or delete one.</summary>
public interface IReleaseStore
{
    /// <summary>Registers a release, or returns the existing one with the same id (Created = false).</summary>
    Task<(Release Release, bool Created)> RegisterAsync(ReleaseDraft draft, CancellationToken cancellationToken);

    Task<Release?> GetByVersionAsync(string app, int version, CancellationToken cancellationToken);

    Task<Release?> GetByIdAsync(string app, string id, CancellationToken cancellationToken);

    /// <summary>Releases whose id starts with <paramref name="prefix"/> (lower-case hex).</summary>
    Task<IReadOnlyList<Release>> FindByIdPrefixAsync(string app, string prefix, CancellationToken cancellationToken);

    Task<IReadOnlyList<Release>> ListAsync(string app, CancellationToken cancellationToken);
}
