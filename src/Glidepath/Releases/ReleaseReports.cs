using Glidepath.Storage;

namespace Glidepath.Releases;

/// <summary>The JSON answers of <c>release list</c> and <c>release show</c>, shared by the CLI's <c>--format json</c> and the admin API.</summary>
public static class ReleaseReports
{
    /// <summary>
    /// <c>release list</c>: the releases, oldest first, each with its first registration's provenance and, when a later
    /// registration came from a clean commit, that one as <see cref="ReleaseView.AlsoRecordedAt"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ReleaseView>> ListAsync(IReleaseStore store, string app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var releases = await store.ListAsync(app, cancellationToken).ConfigureAwait(false);
        var views = new List<ReleaseView>(releases.Count);
        foreach (var r in releases)
        {
            views.Add(ReleaseView.From(r, await store.ProvenanceAsync(r.App, r.Id, cancellationToken).ConfigureAwait(false)));
        }

        return views;
    }

    /// <summary><c>release show</c>: the release, where it was recorded, its model, tools, files (sizes and hashes) and system prompt.</summary>
    public static object Show(Release release, IReadOnlyList<ReleaseProvenance> provenance)
    {
        ArgumentNullException.ThrowIfNull(release);
        var snap = release.Snapshot();
        return new
        {
            release = release.Version == 0 ? ReleaseView.From(release) : ReleaseView.From(release, provenance),
            provenance = provenance.Select(ProvenanceView.From),
            model = new { snap.Model.Provider, snap.Model.Name, parameters = snap.Model.Parameters, options = snap.Model.Options },
            tools = snap.Tools.Select(t => new { t.Name, t.Description }),
            files = snap.Files.Select(f => new { path = f.Key, bytes = f.Value.Length, sha256 = ReleaseBuilder.HashHex(f.Value) }),
            system_prompt = snap.SystemPrompt,
        };
    }
}
