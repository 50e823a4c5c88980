using Glidepath.Releases;

namespace Glidepath.Storage.InMemory;

/// <summary>Registered releases, numbered per app, with their provenance records; nothing is ever updated or removed.</summary>
internal sealed class InMemoryReleaseStore : IReleaseStore
{
    private readonly Lock _sync = new();

    // Each app's releases in version order: version n is at index n - 1.
    private readonly Dictionary<string, List<Release>> _releases = [];
    private readonly Dictionary<(string App, string Id), List<ReleaseProvenance>> _provenance = [];

    public Task<ReleaseRegistration> RegisterAsync(ReleaseDraft draft, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(draft);
            var provenance = ReleaseProvenance.From(draft);
            lock (_sync)
            {
                if (!_releases.TryGetValue(draft.App, out var releases))
                {
                    releases = [];
                    _releases[draft.App] = releases;
                }

                if (releases.Find(r => r.Id == draft.Id) is { } existing)
                {
                    var known = _provenance[(draft.App, draft.Id)];
                    if (known.Any(provenance.SameOrigin))
                    {
                        return new ReleaseRegistration(existing, false, null);
                    }

                    var appended = provenance with { Sequence = known.Count + 1 };
                    known.Add(appended);
                    return new ReleaseRegistration(existing, false, appended);
                }

                var release = new Release
                {
                    Id = draft.Id,
                    App = draft.App,
                    Version = releases.Count + 1,
                    CanonicalJson = draft.CanonicalJson,
                    GitCommit = draft.GitCommit,
                    Dirty = draft.Dirty,
                    Author = draft.Author,
                    CreatedAt = draft.CreatedAt,
                    Message = draft.Message,
                };
                var first = provenance with { Sequence = 1 };
                releases.Add(release);
                _provenance[(draft.App, draft.Id)] = [first];
                return new ReleaseRegistration(release, true, first);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ReleaseProvenance>> ProvenanceAsync(string app, string releaseId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<ReleaseProvenance>>(() =>
        {
            lock (_sync)
            {
                return _provenance.TryGetValue((app, releaseId), out var records) ? [.. records] : [];
            }
        }, cancellationToken);

    public Task<Release?> GetByVersionAsync(string app, int version, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var releases = ReleasesOf(app);
                return version >= 1 && version <= releases.Count ? releases[version - 1] : null;
            }
        }, cancellationToken);

    public Task<Release?> GetByIdAsync(string app, string id, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return ReleasesOf(app).Find(r => r.Id == id);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<Release>> FindByIdPrefixAsync(string app, string prefix, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<Release>>(() =>
        {
            lock (_sync)
            {
                return ReleasesOf(app).FindAll(r => r.Id.StartsWith(prefix, StringComparison.Ordinal));
            }
        }, cancellationToken);

    public Task<IReadOnlyList<Release>> ListAsync(string app, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<Release>>(() =>
        {
            lock (_sync)
            {
                return [.. ReleasesOf(app)];
            }
        }, cancellationToken);

    private List<Release> ReleasesOf(string app) => _releases.GetValueOrDefault(app) ?? [];
}
