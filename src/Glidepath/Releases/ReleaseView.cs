namespace Glidepath.Releases;

/// <summary>How a release appears in JSON output.</summary>
public sealed record ReleaseView(string Name, string Id, string App, int Version, string? GitCommit, bool Dirty, string Author, DateTimeOffset CreatedAt, string? Message)
{
    public static ReleaseView From(Release r) => new(r.Name, r.Id, r.App, r.Version, r.GitCommit, r.Dirty, r.Author, r.CreatedAt, r.Version == 0 ? null : r.Message);

    /// <summary>
    /// A later registration from a clean commit, when the first registration (the fields above) was not that clean commit:
    /// the newest such record, which the checklist's "versioned" row counts. Null when there is none or provenance was not read.
    /// </summary>
    public ProvenanceView? AlsoRecordedAt { get; init; }

    /// <summary>
    /// The view with <see cref="AlsoRecordedAt"/> read from the release's provenance records, and <see cref="Message"/> the
    /// newest message any registration gave: a message given at a later <c>release create -m</c> is not hidden behind the
    /// first registration's none (an <c>eval run</c> that registered the working tree first, say).
    /// </summary>
    public static ReleaseView From(Release r, IReadOnlyList<ReleaseProvenance> provenance)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(provenance);
        var clean = provenance.LastOrDefault(p => p.IsCleanCommit);
        var sameAsFirst = clean is not null && !r.Dirty && string.Equals(clean.GitCommit, r.GitCommit, StringComparison.Ordinal);
        var message = provenance.LastOrDefault(p => !string.IsNullOrWhiteSpace(p.Message))?.Message ?? r.Message;
        return From(r) with { Message = r.Version == 0 ? null : message, AlsoRecordedAt = clean is null || sameAsFirst ? null : ProvenanceView.From(clean) };
    }

    public static string Commit(Release r) => Commit((r ?? throw new ArgumentNullException(nameof(r))).GitCommit, r.Dirty);

    /// <summary>A commit shortened to 10 hex digits, " (dirty)" when the work tree had changes, or "-" for none.</summary>
    public static string Commit(string? gitCommit, bool dirty) => gitCommit is null ? "-" : gitCommit[..Math.Min(10, gitCommit.Length)] + (dirty ? " (dirty)" : "");
}
