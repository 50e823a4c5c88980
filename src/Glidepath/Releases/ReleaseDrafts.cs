using Glidepath.Files;
using Glidepath.Git;
using Glidepath.Manifests;

namespace Glidepath.Releases;

/// <summary>Builds release drafts with provenance (git commit, dirty flag, author, time).</summary>
public static class ReleaseDrafts
{
    /// <summary>The working tree's release; the default store's folder beside the manifest does not make it dirty.</summary>
    public static Task<ReleaseDraft> FromWorkingTreeAsync(Manifest manifest, string? message, TimeProvider time, CancellationToken cancellationToken) =>
        FromWorkingTreeAsync(manifest, message, storeFile: null, time, cancellationToken);

    /// <summary>
    /// The working tree's release. Neither the default store's folder beside the manifest nor <paramref name="storeFile"/>
    /// (the SQLite file of the store in use, null for another kind) with its -wal, -shm and -journal files makes it dirty:
    /// they are Glidepath's own files, not a change to the app (see <see cref="StoreOwnFiles"/>).
    /// </summary>
    public static async Task<ReleaseDraft> FromWorkingTreeAsync(Manifest manifest, string? message, string? storeFile, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);

        // The two git processes (status, user.name) start first and run side by side while the release's files are read:
        // a short eval run spends a tenth of its start-up waiting on them (docs/benchmarks.md). A release that cannot be
        // built still fails with its own error, after they end.
        var excluded = StoreOwnFiles.Under(manifest.BaseDirectory, storeFile);
        var provenance = GitInfo.ProvenanceAsync(manifest.BaseDirectory, excluded, cancellationToken);
        var author = Actor.ResolveAsync(manifest.BaseDirectory, cancellationToken);
        (string Id, string Json) built;
        try
        {
            built = ReleaseBuilder.Build(manifest.Release, new WorkingTreeFileSource(manifest.BaseDirectory));
        }
        catch
        {
            await Task.WhenAny(Task.WhenAll(provenance, author)).ConfigureAwait(false);
            _ = provenance.Exception;
            _ = author.Exception;
            throw;
        }

        var (commit, dirty) = await provenance.ConfigureAwait(false);
        var name = await author.ConfigureAwait(false);
        return new ReleaseDraft
        {
            Id = built.Id,
            App = manifest.App,
            CanonicalJson = built.Json,
            GitCommit = commit,
            Dirty = dirty,
            Author = name,
            CreatedAt = time.GetUtcNow(),
            Message = message,
        };
    }

    /// <summary>Builds the release as it was at git revision <paramref name="rev"/>, from that revision's manifest and files.</summary>
    public static async Task<ReleaseDraft> FromGitRevisionAsync(Manifest manifest, string rev, string? message, TimeProvider time, CancellationToken cancellationToken)
    {
        var source = await GitRevisionFileSource.OpenAsync(manifest.BaseDirectory, rev, cancellationToken).ConfigureAwait(false);
        var manifestName = Path.GetFileName(manifest.FilePath);
        if (!source.Exists(manifestName))
        {
            throw new Errors.BadInputException($"{manifestName} does not exist at git:{rev}; expected the manifest to be committed there");
        }

        var yaml = System.Text.Encoding.UTF8.GetString(source.ReadAllBytes(manifestName));
        var parsed = ManifestParser.Parse(yaml, $"{manifestName}@{rev}", source);
        var (id, json) = ReleaseBuilder.Build(parsed.Release, source);
        return new ReleaseDraft
        {
            Id = id,
            App = parsed.App,
            CanonicalJson = json,
            GitCommit = source.Commit,
            Dirty = false,
            Author = await Actor.ResolveAsync(manifest.BaseDirectory, cancellationToken).ConfigureAwait(false),
            CreatedAt = time.GetUtcNow(),
            Message = message ?? $"built from git:{rev}",
        };
    }
}
