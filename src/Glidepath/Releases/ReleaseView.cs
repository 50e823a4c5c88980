namespace Glidepath.Releases;

/// <summary>How a release appears in JSON output.</summary>
public sealed record ReleaseView(string Name, string Id, string App, int Version, string? GitCommit, bool Dirty, string Author, DateTimeOffset CreatedAt, string? Message)
{
    public static ReleaseView From(Release r) => new(r.Version == 0 ? r.Message ?? "working" : r.Name, r.Id, r.App, r.Version, r.GitCommit, r.Dirty, r.Author, r.CreatedAt, r.Version == 0 ? null : r.Message);

    public static string Commit(Release r) => r.GitCommit is null ? "-" : r.GitCommit[..Math.Min(10, r.GitCommit.Length)] + (r.Dirty ? " (dirty)" : "");
}
