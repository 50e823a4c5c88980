namespace Glidepath.Releases;

/// <summary>How a release appears in JSON output.</summary>
public sealed record ReleaseView(string Name, string Id, string App, int Version, string? GitCommit, bool Dirty, string Author, DateTimeOffset CreatedAt, string? Message)
{
    public static ReleaseView From(Release r) => new(r.Version == 0 ? r.Message ?? "working" : r.Name, r.Id, r.App, r.Version, r.GitCommit, r.Dirty, r.Author, r.CreatedAt, r.Version == 0 ? null : r.Message);

    /// <summary>
    /// The commit a listing shows: the newest clean commit any registration of the release came from (what the checklist's
    /// "versioned" row counts), else the first registration's commit, "(dirty)" when it was.
    /// </summary>
    public static string Commit(Release r, IReadOnlyList<ReleaseProvenance> provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return provenance.LastOrDefault(p => p.IsCleanCommit) is { GitCommit: { } clean } ? clean[..Math.Min(10, clean.Length)] : Commit(r);
    }

    public static string Commit(Release r) => r.GitCommit is null ? "-" : r.GitCommit[..Math.Min(10, r.GitCommit.Length)] + (r.Dirty ? " (dirty)" : "");
}
