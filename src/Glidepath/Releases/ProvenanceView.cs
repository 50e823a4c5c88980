namespace Glidepath.Releases;

/// <summary>How one provenance record of a release appears in JSON output.</summary>
public sealed record ProvenanceView(int Sequence, string? GitCommit, bool Dirty, string Author, string? Message, DateTimeOffset RecordedAt)
{
    public static ProvenanceView From(ReleaseProvenance p) => new(p.Sequence, p.GitCommit, p.Dirty, p.Author, p.Message, p.RecordedAt);
}
