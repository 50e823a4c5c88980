namespace Glidepath.Releases;

/// <summary>A release's content and provenance before the store gives it a version number.</summary>
public sealed record ReleaseDraft
{
    public required string Id { get; init; }
    public required string App { get; init; }
    public required string CanonicalJson { get; init; }
    public string? GitCommit { get; init; }
    public bool Dirty { get; init; }
    public required string Author { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Message { get; init; }

    /// <summary>A release that is not stored (e.g. <c>working</c> in a diff) is shown as version 0.</summary>
    public Release AsUnregistered(string name = "working") => new()
    {
        Id = Id,
        App = App,
        Version = 0,
        CanonicalJson = CanonicalJson,
        GitCommit = GitCommit,
        Dirty = Dirty,
        Author = Author,
        CreatedAt = CreatedAt,
        Message = name,
    };
}
