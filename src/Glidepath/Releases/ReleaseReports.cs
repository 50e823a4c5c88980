namespace Glidepath.Releases;

/// <summary>The JSON answers of <c>release list</c> and <c>release show</c>, shared by the CLI's <c>--format json</c> and the admin API.</summary>
public static class ReleaseReports
{
    /// <summary><c>release list</c>: an array of releases, oldest first.</summary>
    public static object List(IReadOnlyList<Release> releases) => releases.Select(ReleaseView.From);

    /// <summary><c>release show</c>: the release, where it was recorded, its model, tools, files (sizes and hashes) and system prompt.</summary>
    public static object Show(Release release, IReadOnlyList<ReleaseProvenance> provenance)
    {
        ArgumentNullException.ThrowIfNull(release);
        var snap = release.Snapshot();
        return new
        {
            release = ReleaseView.From(release),
            provenance = provenance.Select(ProvenanceView.From),
            model = new { snap.Model.Provider, snap.Model.Name, parameters = snap.Model.Parameters, options = snap.Model.Options },
            tools = snap.Tools.Select(t => new { t.Name, t.Description }),
            files = snap.Files.Select(f => new { path = f.Key, bytes = f.Value.Length, sha256 = ReleaseBuilder.HashHex(f.Value) }),
            system_prompt = snap.SystemPrompt,
        };
    }
}
